import type { Db } from '../../../platform/db/database.js';
import { findBusiness } from '../../agents/index.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import { awardOf } from '../commands/awards.js';
import type { AwardCriterion, NoticeRow } from '../db/tables.js';
import { areTendersUnsealed } from '../policies/procurement.js';
import { partnersOf, publishedClarifications } from '../queries/notices.js';
import { tenderCount } from '../queries/tenders.js';
import { cpvName, cpvWithCheckDigit } from '../reference/cpv.js';
import { regionName } from '../reference/regions.js';

/** An OCDS 1.1 release, as written to JSON (see release-package.schema.json). */
export type Release = Record<string, unknown> & { ocid: string; id: string; date: string };

const pounds = (pence: number) => ({ amount: pence / 100, currency: 'GBP' });

/** Works, goods or services, from the CPV division as the regulation groups them. */
function mainCategory(codes: readonly string[]): 'goods' | 'works' | 'services' {
  const division = Number(codes[0]!.slice(0, 2));
  if (division === 45) return 'works';
  if (division < 45 || division === 48) return 'goods';
  return 'services';
}

/** The tender as one version of the notice described it. */
interface TenderVersion {
  title: string;
  description: string;
  valueMinPence: number;
  valueMaxPence: number;
  cpvCodes: string[];
  region: string;
  clarificationDeadline: string;
  tenderDeadline: string;
  criteria: AwardCriterion[];
}

function versionOfRow(notice: NoticeRow): TenderVersion {
  return {
    title: notice.title,
    description: notice.description,
    valueMinPence: notice.value_min_pence,
    valueMaxPence: notice.value_max_pence,
    cpvCodes: notice.cpv_codes,
    region: notice.region,
    clarificationDeadline: notice.clarification_deadline.toISOString(),
    tenderDeadline: notice.tender_deadline.toISOString(),
    criteria: notice.criteria,
  };
}

function tenderObject(notice: NoticeRow, version: TenderVersion, status: string) {
  return {
    id: notice.id,
    title: version.title,
    description: version.description,
    status,
    items: version.cpvCodes.map((code, i) => ({
      id: String(i + 1),
      description: cpvName(code),
      classification: { scheme: 'CPV', id: cpvWithCheckDigit(code), description: cpvName(code) },
      deliveryLocation: { description: regionName(version.region) },
    })),
    minValue: pounds(version.valueMinPence),
    value: pounds(version.valueMaxPence),
    procurementMethod: 'open',
    mainProcurementCategory: mainCategory(version.cpvCodes),
    awardCriteria: 'ratedCriteria',
    awardCriteriaDetails: version.criteria.map((c) => `${c.name}: ${c.weight}%`).join('; '),
    submissionMethod: ['electronicSubmission'],
    enquiryPeriod: {
      startDate: notice.published_at.toISOString(),
      endDate: version.clarificationDeadline,
    },
    tenderPeriod: { startDate: notice.published_at.toISOString(), endDate: version.tenderDeadline },
  };
}

/**
 * Every OCDS release of one notice, oldest first: one `tender` release for the notice as first
 * published, one `tenderAmendment` release for each later version (with the amendments so far),
 * and an `award` release once awarded. Release ids are stable (`<ocid>-tender-<version>`,
 * `<ocid>-award`), so a release never changes once published.
 */
export async function releasesOf(db: Db, notice: NoticeRow, now: Date): Promise<Release[]> {
  const partners = await partnersOf(db, notice.id);
  const bodies = new Map(
    (await listOrganisationsByIds(db, [notice.organisation_id, ...partners])).map((o) => [o.id, o]),
  );
  const lead = bodies.get(notice.organisation_id)!;
  const parties: Record<string, unknown>[] = [
    { id: lead.id, name: lead.name, roles: ['buyer', 'procuringEntity'] },
    ...partners.map((id) => ({ id, name: bodies.get(id)?.name ?? id, roles: ['buyer'] })),
  ];
  const buyer = { id: lead.id, name: lead.name };
  const old = await db
    .selectFrom('procurement_notice_versions')
    .selectAll()
    .where('notice_id', '=', notice.id)
    .orderBy('version')
    .execute();
  const versions: { version: number; date: Date; content: TenderVersion }[] = [];
  old.forEach((row, i) => {
    versions.push({
      version: row.version,
      date: i === 0 ? notice.published_at : old[i - 1]!.replaced_at,
      content: row.snapshot as unknown as TenderVersion,
    });
  });
  versions.push({
    version: notice.version,
    date: old.length ? old.at(-1)!.replaced_at : notice.published_at,
    content: versionOfRow(notice),
  });
  const hasEnquiries = (await publishedClarifications(db, notice.id)).length > 0;
  const unsealed = areTendersUnsealed(notice, now);
  const releases: Release[] = versions.map(({ version, date, content }, i) => {
    const tender: Record<string, unknown> = {
      ...tenderObject(notice, content, 'active'),
      procuringEntity: buyer,
      hasEnquiries,
    };
    const amendments = old.slice(0, i).map((row) => ({
      id: String(row.version + 1),
      date: row.replaced_at.toISOString(),
      rationale: row.change_summary,
    }));
    if (amendments.length) tender.amendments = amendments;
    return {
      ocid: notice.ocid,
      id: `${notice.ocid}-tender-${version}`,
      date: date.toISOString(),
      tag: [i === 0 ? 'tender' : 'tenderAmendment'],
      initiationType: 'tender',
      language: 'en',
      parties,
      buyer,
      tender,
    };
  });
  const award = await awardOf(db, notice.id);
  if (award) {
    const supplier = await db
      .selectFrom('procurement_suppliers')
      .select(['business_id', 'company_number'])
      .where('id', '=', award.supplier_id)
      .executeTakeFirstOrThrow();
    const name = (await findBusiness(db, supplier.business_id))?.name ?? '';
    const supplierId = `GB-COH-${supplier.company_number}`;
    releases.push({
      ocid: notice.ocid,
      id: `${notice.ocid}-award`,
      date: award.awarded_at.toISOString(),
      tag: ['award'],
      initiationType: 'tender',
      language: 'en',
      parties: [
        ...parties,
        {
          id: supplierId,
          name,
          identifier: { scheme: 'GB-COH', id: supplier.company_number, legalName: name },
          roles: ['supplier', 'tenderer'],
        },
      ],
      buyer,
      tender: {
        ...tenderObject(notice, versionOfRow(notice), 'complete'),
        procuringEntity: buyer,
        hasEnquiries,
        numberOfTenderers: await tenderCount(db, notice.id),
      },
      awards: [
        {
          id: award.id,
          title: notice.title,
          description: award.reasons,
          status: 'active',
          date: award.awarded_at.toISOString(),
          value: pounds(award.value_pence),
          suppliers: [{ id: supplierId, name }],
        },
      ],
    });
  } else if (unsealed) {
    // After the deadline the number of tenders is no secret; the tenders themselves stay private.
    const last = releases.at(-1)!;
    (last.tender as Record<string, unknown>).numberOfTenderers = await tenderCount(db, notice.id);
  }
  return releases;
}

/** A release package around some releases, as the standard requires. */
export function releasePackage(uri: string, baseUrl: string, releases: Release[], now: Date) {
  return {
    uri,
    version: '1.1',
    publishedDate: now.toISOString(),
    publisher: { name: 'Joinedup', uri: baseUrl },
    license: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
    publicationPolicy: `${baseUrl}/procurement/ocds`,
    releases,
  };
}
