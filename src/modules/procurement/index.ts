/**
 * The procurement module: suppliers, opportunities, clarifications, sealed tenders, evaluation,
 * awards, OCDS open data, purchase orders and invoices. Other modules import only from here.
 */
export { procurementModule } from './module.js';
/** For the performance module: what bodies awarded, ordered, received, invoiced and approved. */
export { procurementFigures, type ProcurementFigures } from './queries/finance.js';
/** For the performance dashboards: each body's orders, invoices and prompt payment. */
export {
  financeByBody,
  PROMPT_PAYMENT_DAYS,
  type BodyFinance,
} from './queries/payment-performance.js';
export { seedDemoProcurement, DEMO_SUPPLIER } from './demo.js';
/**
 * Publishing a notice and sending a tender at a given moment: for tests that need a notice whose
 * tender deadline has passed (its tenders unsealed, to score, agree, award and order), which the
 * pages, working at the present moment, cannot make.
 */
export { publishNotice } from './commands/notices.js';
export { submitTender } from './commands/tenders.js';
export type { ProcurementActor } from './commands/actor.js';
