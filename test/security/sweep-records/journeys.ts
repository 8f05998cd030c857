import type { RecordMaker } from './index.js';

/** (being written) */
export const journeys: RecordMaker = async () => [];
