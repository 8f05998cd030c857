/**
 * The fees module: fees forms charge before an application is sent on, bills bodies raise to
 * people, and council tax-style instalment plans. Other modules import only from here.
 */
export { feesModule } from './module.js';
/** The forms module's hook: what a form's fee comes to, and charging it when the application is sent. */
export { calculateFee } from './calculate.js';
export { chargeFormFee, heldApplicationPath, type HeldApplication } from './commands/form-fees.js';
/** The adviser's desk (crm): an assisted application's fee, taken by card over the phone (MOTO). */
export { heldFeeOf, settleHeldFee, takeFeeByPhone, type HeldFee } from './commands/moto.js';
/** Money as the fee pages show it: "£60.00". */
export { pounds as formatFee } from './money.js';
/** The demo bill and instalment plan for the demo citizen (src/main/seed.ts). */
export { seedDemoFees } from './demo/seed.js';
