-- The address layer: which areas a postcode lies in (from the ONS Postcode Directory) and
-- addresses with a UPRN in BS 7666 structure. Read by the address module only.

create table postcode_areas (
  -- The postcode in its standard form with one space: 'GL5 4UB' (ONSPD pcds).
  postcode text primary key,
  -- Outward code and the first digit of the inward code: 'GL5 4'. Finds sectors split between councils.
  sector text not null,
  -- GSS codes of the areas: local authority district or unitary (oslaua), county (oscty, null outside
  -- two-tier areas), country (ctry), electoral ward (osward) and parish (parish).
  district_gss text,
  county_gss text,
  country_gss text,
  ward_gss text,
  parish_gss text,
  -- Non-geographic postcodes (PO boxes, some large users) have no grid reference: ONSPD osgrdind 9.
  geographic boolean not null,
  latitude double precision,
  longitude double precision,
  -- 0 small user, 1 large user (ONSPD usertype).
  user_type smallint,
  -- YYYYMM from ONSPD dointr and doterm; a terminated postcode is kept but no longer in use.
  introduced text,
  terminated text,
  imported_at timestamptz not null default now()
);
create index postcode_areas_sector on postcode_areas (sector, district_gss);

create table addresses (
  -- Unique Property Reference Number: up to 12 digits, kept as text so no leading digit is lost.
  uprn text primary key check (uprn ~ '^[0-9]{1,12}$'),
  -- BS 7666: secondary addressable object (flat 2), primary addressable object (12, Rose Cottage),
  -- street, locality, town and postcode.
  saon text,
  paon text not null,
  street text,
  locality text,
  town text not null,
  postcode text not null,
  imported_at timestamptz not null default now()
);
create index addresses_postcode on addresses (postcode);
