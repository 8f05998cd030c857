import type { RecordMaker } from './index.js';

/** (being written) */
export const caseworkAndAccount: RecordMaker = async () => [];
