import type { RecordMaker } from './index.js';

/** (being written) */
export const identityAndAdvice: RecordMaker = async () => [];
