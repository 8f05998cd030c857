import type { TestApp } from '../../helpers/app.js';
import type { Person } from '../authorisation-matrix.js';
import type { MatrixSessions } from '../matrix-sessions.js';
import { caseworkAndAccount } from './casework-and-account.js';
import { identityAndAdvice } from './identity-and-advice.js';
import { journeys } from './journeys.js';
import { lastSteps } from './last-steps.js';
import { procurementAndEngagement } from './procurement-and-engagement.js';

/**
 * Records for the injection sweep (test/security/injection-everywhere.test.ts): the forms of
 * many pages appear only once a record is in some state (a referral waiting to be accepted, a
 * tender received, a consent given …) that the demo does not hold and the sweep's own payloads
 * cannot make. Each maker here makes such records through the modules' public functions or
 * the app's own pages, as the people of the matrix, and names the pages that show their forms
 * and who opens them; the sweep opens those pages first and sends their forms like any other.
 */
export interface SweepPage {
  path: string;
  /** A person of the matrix, or a session the maker signed in itself. */
  who: Person | MakerSession;
}

/**
 * A session a maker signed in itself, for pages no person of the matrix can open (someone
 * part-way through signing in with a second factor, a citizen who has stepped up to one …):
 * its name, which the sweep reports it by, and the Cookie header it sends.
 */
export interface MakerSession {
  name: string;
  cookie: string;
}

/** Makes records and gives the pages, with the person who may open each, that show their forms. */
export type RecordMaker = (app: TestApp, sessions: MatrixSessions) => Promise<SweepPage[]>;

/** Every maker, run in this order before the sweep's crawl. */
export const RECORD_MAKERS: RecordMaker[] = [
  caseworkAndAccount,
  procurementAndEngagement,
  identityAndAdvice,
  journeys,
  lastSteps,
];

/** Runs every maker; a maker that fails fails the sweep (its pages would silently go unreached). */
export async function makeSweepRecords(
  app: TestApp,
  sessions: MatrixSessions,
): Promise<SweepPage[]> {
  const pages: SweepPage[] = [];
  for (const make of RECORD_MAKERS) pages.push(...(await make(app, sessions)));
  return pages;
}
