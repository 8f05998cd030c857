/**
 * The sharing module (tell us once): changes of circumstances told once and shared with the
 * bodies a person deals with, under data-sharing agreements and consent. Other modules import
 * only from here.
 */
export { sharingModule } from './module.js';
export { seedDemoSharing, DEMO_SHARING_BODIES } from './demo.js';
/** For the benchmark (bench/tell-us-once.ts): registering agreements and reporting changes. */
export { createAgreement } from './commands/agreements.js';
export { submitChange } from './commands/changes.js';
/** For the performance module: each change announced as its deliveries move, and read as it stands. */
export {
  SHARING_MEASURE_TOPIC,
  changeForMeasure,
  changeIdsSince,
  type ChangeForMeasure,
  type DeliveryForMeasure,
} from './measure.js';
/** For the caseplans module: a change a body received, by reference, to link it to a plan and show it. */
export { changeForBody, type ChangeForBody } from './queries/for-body.js';
