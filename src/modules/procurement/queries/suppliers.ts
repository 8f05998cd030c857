import type { Db } from '../../../platform/db/database.js';
import { businessesOf, findBusiness } from '../../agents/index.js';
import type { SupplierRow } from '../db/tables.js';

/** A supplier as pages show it: its registration, its business's name and the person's role. */
export interface SupplierView {
  supplier: SupplierRow;
  businessName: string;
  role: 'administrator' | 'assistant';
}

/**
 * The supplier registrations of the businesses a person is a member of, by business name; the
 * businesses not yet registered come back too (with `supplier` null) so they can be.
 */
export async function suppliersOfPerson(
  db: Db,
  userId: string,
): Promise<
  {
    businessId: string;
    businessName: string;
    role: 'administrator' | 'assistant';
    supplier: SupplierRow | null;
  }[]
> {
  const businesses = await businessesOf(db, userId);
  if (businesses.length === 0) return [];
  const suppliers = await db
    .selectFrom('procurement_suppliers')
    .selectAll()
    .where(
      'business_id',
      'in',
      businesses.map((b) => b.id),
    )
    .execute();
  const byBusiness = new Map(suppliers.map((s) => [s.business_id, s]));
  return businesses.map((b) => ({
    businessId: b.id,
    businessName: b.name,
    role: b.role,
    supplier: byBusiness.get(b.id) ?? null,
  }));
}

/**
 * The supplier a person acts for, by the supplier's id: only when they are a member of its
 * business (undefined otherwise, which pages turn into 404).
 */
export async function supplierActingAs(
  db: Db,
  userId: string,
  supplierId: string,
): Promise<SupplierView | undefined> {
  const mine = await suppliersOfPerson(db, userId);
  const found = mine.find((m) => m.supplier?.id === supplierId);
  return found?.supplier
    ? { supplier: found.supplier, businessName: found.businessName, role: found.role }
    : undefined;
}

/** A supplier's business name (for a buyer's list of tenders after the deadline, and awards). */
export async function supplierName(db: Db, supplier: Pick<SupplierRow, 'business_id'>) {
  return (await findBusiness(db, supplier.business_id))?.name ?? '';
}
