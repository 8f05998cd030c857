import { sql } from 'kysely';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { notFound } from '../../../platform/errors/errors.js';
import { companiesHouseNumberProblem, membershipOf, normaliseNumber } from '../../agents/index.js';
import type { SupplierRow } from '../db/tables.js';
import { mayRegisterSupplier } from '../policies/procurement.js';
import { cpvDigits, isKnownSector } from '../reference/cpv.js';
import { isRegion } from '../reference/regions.js';
import { normaliseVatNumber, vatNumberProblem } from '../validation/vat.js';
import { auditActor, type ProcurementActor } from './actor.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** A supplier registration as its form gives it. */
export interface SupplierForm {
  businessId: string;
  companyNumber: string;
  vatNumber: string;
  isSme: string;
  sectors: string[];
  regions: string[];
  alerts: string;
}

/** The form's fields from a request body (lists may come as one value or several). */
export function supplierFormValues(body: unknown): SupplierForm {
  const record = (body ?? {}) as Record<string, unknown>;
  const text = (name: string) => (typeof record[name] === 'string' ? record[name].trim() : '');
  const list = (name: string) =>
    (Array.isArray(record[name]) ? record[name] : [record[name]]).filter(
      (v): v is string => typeof v === 'string' && v !== '',
    );
  return {
    businessId: text('businessId'),
    companyNumber: text('companyNumber'),
    vatNumber: text('vatNumber'),
    isSme: text('isSme'),
    sectors: list('sectors'),
    regions: list('regions'),
    alerts: text('alerts'),
  };
}

function checkSupplierForm(form: SupplierForm): FieldError[] {
  const errors: FieldError[] = [];
  const company = normaliseNumber(form.companyNumber);
  if (!company)
    errors.push({ field: 'companyNumber', message: 'procurement.supplier.company.missing' });
  else {
    const problem = companiesHouseNumberProblem(company);
    if (problem) errors.push({ field: 'companyNumber', message: problem });
  }
  const vat = vatNumberProblem(form.vatNumber);
  if (vat) errors.push({ field: 'vatNumber', message: vat });
  if (form.isSme !== 'yes' && form.isSme !== 'no')
    errors.push({ field: 'isSme', message: 'procurement.supplier.sme.missing' });
  const sectors = form.sectors.map(cpvDigits);
  if (sectors.length === 0)
    errors.push({ field: 'sectors', message: 'procurement.supplier.sectors.missing' });
  else if (sectors.some((s) => s === null || !isKnownSector(s)) || sectors.length > 40)
    errors.push({ field: 'sectors', message: 'procurement.supplier.sectors.invalid' });
  if (form.regions.length === 0)
    errors.push({ field: 'regions', message: 'procurement.supplier.regions.missing' });
  else if (!form.regions.every(isRegion))
    errors.push({ field: 'regions', message: 'procurement.supplier.regions.invalid' });
  return errors;
}

/**
 * Registers a business account as a supplier, or changes its registration: its company number,
 * VAT number (checked with its check digits), size, sectors (CPV divisions or groups) and regions,
 * and whether it wants e-mail alerts of new opportunities in them. Only the business's
 * administrators may; anyone else gets 404.
 *
 * @example await registerSupplier(trx, { user }, supplierFormValues(request.body));
 */
export async function registerSupplier(
  db: Db,
  actor: ProcurementActor,
  form: SupplierForm,
): Promise<Outcome<{ supplier: SupplierRow }>> {
  if (!isUuid(form.businessId)) {
    return {
      ok: false,
      errors: [{ field: 'businessId', message: 'procurement.supplier.business.missing' }],
    };
  }
  if (!mayRegisterSupplier(await membershipOf(db, form.businessId, actor.user.id)))
    throw notFound({ business: form.businessId });
  const errors = checkSupplierForm(form);
  if (errors.length) return { ok: false, errors };
  const vat = normaliseVatNumber(form.vatNumber);
  const values = {
    company_number: normaliseNumber(form.companyNumber),
    vat_number: vat || null,
    is_sme: form.isSme === 'yes',
    sectors: [...new Set(form.sectors.map((s) => cpvDigits(s)!))],
    regions: [...new Set(form.regions)],
    alerts: form.alerts !== 'no',
  };
  const supplier = await db
    .insertInto('procurement_suppliers')
    .values({ business_id: form.businessId, registered_by: actor.user.id, ...values })
    .onConflict((oc) =>
      oc.column('business_id').doUpdateSet({ ...values, updated_at: sql<Date>`now()` }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, auditActor(actor, 'supplier-administrator'), {
    action: 'procurement.supplier_registered',
    resourceType: 'procurement_supplier',
    resourceId: supplier.id,
    subjectUserId: actor.user.id,
    details: { business_id: form.businessId, sectors: values.sectors, regions: values.regions },
  });
  return { ok: true, supplier };
}
