/**
 * Reading GeoReport v2's parameters: a POST's form-encoded (or JSON) body, with its attributes
 * as `attribute[code]=value` (and `attribute[code][]=value` for a list), and GET requests'
 * query. Each reader returns the values or the problems, never throws.
 */
import { MAX_WINDOW_DAYS, type RequestStatus } from '../queries/requests.js';

/** A POST requests body, read. */
export interface ReportParams {
  apiKey: string;
  jurisdictionId: string;
  serviceCode: string;
  latitude?: number;
  longitude?: number;
  addressString: string;
  addressId: string;
  postcode: string;
  email: string;
  firstName: string;
  lastName: string;
  phone: string;
  description: string;
  mediaUrl: string | null;
  attributes: Record<string, string | string[]>;
}

/** A problem with a parameter: its name, and a message key with its values. */
export interface ParamProblem {
  key: string;
  values?: Record<string, string | number>;
}

const LIMITS: Record<string, number> = {
  api_key: 200,
  jurisdiction_id: 100,
  // A list, comma-separated, in GET requests.
  service_code: 2000,
  service_request_id: 2000,
  status: 20,
  start_date: 40,
  end_date: 40,
  // With the postcode and coordinates added, it fits the forms' 500-character place question.
  address_string: 400,
  address_id: 20,
  postcode: 20,
  email: 320,
  first_name: 100,
  last_name: 100,
  phone: 40,
  description: 4000,
  media_url: 2000,
  lat: 30,
  long: 30,
};

const ATTRIBUTE = /^attribute\[([^\]]{1,64})\](\[\])?$/;
const DEGREES = /^[-+]?\d{1,3}(?:\.\d{1,15})?$/;
const UPRN = /^[0-9]{1,12}$/;

function bodyObject(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

/** A parameter's text ('' when absent); a repeated or non-text one is a problem. */
function single(body: Record<string, unknown>, name: string, problems: ParamProblem[]): string {
  const value = Object.hasOwn(body, name) ? body[name] : undefined;
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') {
    problems.push({ key: 'open311.param.once', values: { name } });
    return '';
  }
  const limit = LIMITS[name] ?? 200;
  if (value.length > limit) {
    problems.push({ key: 'open311.param.tooLong', values: { name, max: limit } });
    return '';
  }
  return value.trim();
}

/** `attribute[code]` and `attribute[code][]` fields, or (in a JSON body) an `attribute` object. */
function attributesOf(body: Record<string, unknown>, problems: ParamProblem[]) {
  const attributes: Record<string, string | string[]> = {};
  const add = (code: string, value: unknown, list: boolean) => {
    const values = Array.isArray(value) ? value : [value];
    if (!values.every((v) => typeof v === 'string' || typeof v === 'number')) {
      problems.push({ key: 'open311.param.attribute', values: { code } });
      return;
    }
    const texts = values.map((v) => String(v).slice(0, 10_000));
    const earlier = attributes[code];
    const all = [...(earlier === undefined ? [] : [earlier].flat()), ...texts];
    attributes[code] = list || all.length > 1 ? all : all[0]!;
  };
  for (const [name, value] of Object.entries(body)) {
    const match = ATTRIBUTE.exec(name);
    if (match) add(match[1]!, value, match[2] !== undefined);
  }
  const nested = body.attribute;
  if (typeof nested === 'object' && nested !== null && !Array.isArray(nested))
    for (const [code, value] of Object.entries(nested)) add(code, value, Array.isArray(value));
  return attributes;
}

/** Degrees as a number within `limit`, or undefined when not one. */
function degrees(text: string, limit: number): number | undefined {
  if (!DEGREES.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) && Math.abs(value) <= limit ? value : undefined;
}

/** An http(s) address for media_url, or a problem. */
function mediaUrlOf(text: string, problems: ParamProblem[]): string | null {
  if (!text) return null;
  try {
    const url = new URL(text);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.toString();
  } catch {
    // reported below
  }
  problems.push({ key: 'open311.param.mediaUrl' });
  return null;
}

/** The parameters of POST requests, or every problem with them. */
export function readReportParams(
  raw: unknown,
): { ok: true; params: ReportParams } | { ok: false; problems: ParamProblem[] } {
  const body = bodyObject(raw);
  const problems: ParamProblem[] = [];
  const text = (name: string) => single(body, name, problems);
  const params: ReportParams = {
    apiKey: text('api_key'),
    jurisdictionId: text('jurisdiction_id'),
    serviceCode: text('service_code'),
    addressString: text('address_string'),
    addressId: text('address_id'),
    postcode: text('postcode'),
    email: text('email'),
    firstName: text('first_name'),
    lastName: text('last_name'),
    phone: text('phone'),
    description: text('description'),
    mediaUrl: mediaUrlOf(text('media_url'), problems),
    attributes: attributesOf(body, problems),
  };
  const lat = text('lat');
  const long = text('long');
  if (lat || long) {
    const latitude = degrees(lat, 90);
    const longitude = degrees(long, 180);
    if (latitude === undefined || longitude === undefined)
      problems.push({ key: 'open311.param.latLong' });
    else Object.assign(params, { latitude, longitude });
  }
  if (params.addressId && !UPRN.test(params.addressId))
    problems.push({ key: 'open311.param.addressId' });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, params };
}

/** GET requests' filters, read. */
export interface ListParams {
  ids?: string[] | undefined;
  codes?: string[] | undefined;
  statuses?: RequestStatus[] | undefined;
  from: Date;
  to: Date;
  jurisdictionId: string;
}

const DAY_MS = 24 * 3600 * 1000;
/** ISO 8601 as the spec asks: a date, or a date and time with a time zone (Z or ±hh:mm). */
const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

const MAX_LIST = 100;

function list(text: string): string[] | undefined {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length ? [...new Set(items)].slice(0, MAX_LIST) : undefined;
}

function dateOf(text: string, name: string, problems: ParamProblem[]): Date | undefined {
  if (!text) return undefined;
  const value = ISO_DATE_TIME.test(text) ? new Date(text) : undefined;
  if (!value || Number.isNaN(value.getTime())) {
    problems.push({ key: 'open311.param.date', values: { name } });
    return undefined;
  }
  return value;
}

/**
 * GET requests' query: lists are comma-separated; without dates, the last 90 days; with one
 * date, 90 days from (or to) it; never a window over 90 days.
 */
export function readListParams(
  raw: unknown,
  now = new Date(),
): { ok: true; params: ListParams } | { ok: false; problems: ParamProblem[] } {
  const query = bodyObject(raw);
  const problems: ParamProblem[] = [];
  const text = (name: string) => single(query, name, problems);
  const start = dateOf(text('start_date'), 'start_date', problems);
  const end = dateOf(text('end_date'), 'end_date', problems);
  const window = MAX_WINDOW_DAYS * DAY_MS;
  const to = end ?? (start ? new Date(start.getTime() + window) : now);
  const from = start ?? new Date(to.getTime() - window);
  if (from > to) problems.push({ key: 'open311.param.dateOrder' });
  else if (to.getTime() - from.getTime() > window)
    problems.push({ key: 'open311.param.window', values: { days: MAX_WINDOW_DAYS } });
  const statuses = list(text('status'));
  if (statuses?.some((s) => s !== 'open' && s !== 'closed'))
    problems.push({ key: 'open311.param.status' });
  const ids = list(text('service_request_id'))?.map((id) => id.toUpperCase());
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    params: {
      ids,
      codes: list(text('service_code')),
      statuses: statuses as RequestStatus[] | undefined,
      from,
      to,
      jurisdictionId: text('jurisdiction_id'),
    },
  };
}
