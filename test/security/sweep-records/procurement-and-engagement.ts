import type { RecordMaker } from './index.js';

/** (being written) */
export const procurementAndEngagement: RecordMaker = async () => [];
