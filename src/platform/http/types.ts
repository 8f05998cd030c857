import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Database, Db } from '../db/database.js';
import type { Locale, Translate } from '../i18n/i18n.js';
import type { OutboxHandler } from '../outbox/outbox.js';

/** The signed-in person, as every page and policy sees them. */
export interface CurrentUser {
  id: string;
  email: string;
  displayName: string;
  kind: 'citizen' | 'staff';
  organisationId: string | null;
  organisationName: string | null;
  roles: string[];
  /** What this session proved: `Cl` password, `Cl.Cm` password and a second factor. */
  credentialLevel: 'Cl' | 'Cl.Cm';
  /** What is known of the person: `P0` nothing checked, `P2` identity verified. */
  identityLevel: 'P0' | 'P2';
  /** Set when an agent's session acts for a client (the agents module); null or absent otherwise. */
  actingFor?: { userId: string; displayName: string } | null;
  /**
   * Set (with `actingFor` the customer) when a contact centre adviser's session fills in
   * services for a customer who consented: assisted digital (the crm module, ADR 0008).
   */
  assisting?: { channel: 'phone' | 'face-to-face'; returnTo: string } | null;
}

/**
 * Something that happened to a person's account that other modules holding their data must act
 * on, in the same transaction: a deleted account's drafts go, an agent's authority ends …
 */
export type AccountEvent =
  { type: 'deleted'; userId: string } | { type: 'signed-out-everywhere'; userId: string };

/** The application a section is drawn for: the signed-in applicant's (or their agent's), already checked. */
export interface ApplicationRef {
  id: string;
  reference: string;
}

/**
 * A part of a person's application page that another module draws, such as casework's requests
 * for information: the module above the one that owns the page adds to it without a cycle.
 */
export interface ApplicationSection {
  /** The Nunjucks template, rendered with the loaded values as `section.values`. */
  template: string;
  /** The values, or null to draw nothing. */
  load(
    request: FastifyRequest,
    application: ApplicationRef,
  ): Promise<Record<string, unknown> | null>;
}

/** What the platform hands every module when it starts. */
export interface AppContext {
  /** The sections every module adds to the application page, loaded for one application. */
  applicationSections(
    request: FastifyRequest,
    application: ApplicationRef,
  ): Promise<{ template: string; values: Record<string, unknown> }[]>;
  /** Tells every module of an account event, in the caller's transaction. */
  accountEvent(trx: Db, event: AccountEvent): Promise<void>;
  /** Every module's retention record types, for the retention module. */
  retentionRecordTypes(): RetentionRecordType[];
  /** What every module says it holds and holds about one person, for their own "My data". */
  personalDataOf(userId: string): Promise<ModulePersonalData[]>;
  config: Config;
  db: Kysely<Database>;
  logger: Logger;
  /** Ask the outbox worker (if this node runs one) to look for new messages now. */
  wakeOutbox(): void;
}

/** A link a module adds to the staff or account navigation. */
export interface NavigationItem {
  /** i18n key */
  text: string;
  href: string;
  /** Shown when the signed-in user passes this test. */
  visibleTo(user: CurrentUser | null): boolean;
}

/**
 * What a module contributes to the platform. The platform loops over manifests and never
 * reaches into a module otherwise.
 */
export interface ModuleManifest {
  name: string;
  /** Root-level hooks, e.g. the identity module resolving the session. Runs before routes. */
  hooks?(app: FastifyInstance, context: AppContext): void | Promise<void>;
  routes?(app: FastifyInstance, context: AppContext): void | Promise<void>;
  outboxHandlers?(context: AppContext): Record<string, OutboxHandler>;
  /** Sections this module adds to a person's application page (`/applications/:reference`). */
  applicationSections?(context: AppContext): ApplicationSection[];
  /** Acts on an account event for the data this module holds; only `trx` may be used. */
  onAccountEvent?(trx: Db, event: AccountEvent): Promise<void>;
  navigation?: NavigationItem[];
  /** The personal data this module holds, for "Your data" and retention. */
  personalData?: { table: string; description: string; retention: string }[];
  /**
   * What this module holds about one person, for their "My data" page and its JSON/CSV export.
   * Called only for the signed-in person themselves (the caller has checked); reads only.
   */
  personalDataOf?(db: Db, userId: string): Promise<PersonalDataSection[]>;
  /** The kinds of record about people this module keeps for bodies, and how each is disposed of when due. */
  retention?: RetentionRecordType[];
}

/** What retention does with a record when its period is over. */
export type RetentionAction = 'delete' | 'anonymise';

/**
 * A kind of record about people a module keeps for a body (a submission, a case, a payment …),
 * for the retention module's nightly job. The module says how long it is kept by default and
 * within which legal bounds a body may set it, what starts the clock, and how to find and
 * dispose of due records.
 */
export interface RetentionRecordType {
  /** Stable name, unique across modules, e.g. `submission`; stored in policies and holds. */
  key: string;
  /** Locale keys: its name, what starts its clock, and what anonymising keeps. */
  title: string;
  clockStarts: string;
  anonymiseKeeps?: string;
  /** The period in months: the default, and the legal minimum and maximum a body may set. */
  defaultMonths: number;
  minMonths: number;
  maxMonths: number;
  defaultAction: RetentionAction;
  /** The actions a body may choose; the first is the default's fallback. */
  actions: readonly RetentionAction[];
  /**
   * Up to `limit` of the body's records due for `action` (clock started at or before `cutoff`,
   * not already so disposed of, neither the record nor its person held), oldest first. Inside a
   * transaction the rows are locked, skipping rows another transaction holds.
   */
  findDue(db: Db, query: RetentionQuery): Promise<RetentionCandidate[]>;
  /**
   * Deletes or anonymises the records `findDue` returned in this transaction (only `trx`);
   * returns how many it changed. `now` stamps an anonymised record.
   */
  dispose(trx: Db, action: RetentionAction, ids: readonly string[], now: Date): Promise<number>;
  /** The record of this body that staff know by `identifier` (its reference), for a legal hold. */
  resolve(
    db: Db,
    organisationId: string,
    identifier: string,
  ): Promise<{ id: string; reference: string } | undefined>;
}

/** What a record type's `findDue` is asked for. */
export interface RetentionQuery {
  organisationId: string;
  action: RetentionAction;
  cutoff: Date;
  limit: number;
  /** Held people's accounts, and their e-mail addresses (lower case) for records without an account. */
  heldPersonIds: readonly string[];
  heldPersonEmails: readonly string[];
  /** Held accounts' mobile numbers as the accounts keep them, for messages sent to a number. */
  heldPersonPhones: readonly string[];
  /** Held records of this record type. */
  heldRecordIds: readonly string[];
  /** The references of held records of any type: a record that shares one (a case, its application's messages) is held too. */
  heldReferences: readonly string[];
}

/** A due record: its id and the person it is about (null when no account). */
export interface RetentionCandidate {
  id: string;
  personId: string | null;
}

/** One module's part of a person's "My data": what it declares it holds, and their records. */
export interface ModulePersonalData {
  module: string;
  declared: NonNullable<ModuleManifest['personalData']>;
  /** False when the module does not list its records by person (no `personalDataOf`). */
  listed: boolean;
  sections: PersonalDataSection[];
}

/** One part of a person's "My data": the records of one kind a module holds about them. */
export interface PersonalDataSection {
  /** Stable machine name, e.g. `submissions`; the JSON export's key and the CSV's first column. */
  key: string;
  /** Locale key of the section's heading, in the module's locales. */
  title: string;
  /** One row a record; values are shown as text (dates as ISO 8601 strings). */
  rows: Record<string, string | number | boolean | null>[];
}

declare module 'fastify' {
  interface FastifyRequest {
    user: CurrentUser | null;
    locale: Locale;
    t: Translate;
  }
}

declare module 'fastify' {
  interface FastifyReply {
    locals: Record<string, unknown> | undefined;
  }
}
