import type { ModuleManifest } from '../platform/http/types.js';
import { addressModule } from '../modules/address/index.js';
import { agentsModule } from '../modules/agents/index.js';
import { attachmentsModule } from '../modules/attachments/index.js';
import { bookingsModule } from '../modules/bookings/index.js';
import { catalogueModule } from '../modules/catalogue/index.js';
import { correspondenceModule } from '../modules/correspondence/index.js';
import { crmModule } from '../modules/crm/index.js';
import { caseworkModule } from '../modules/casework/index.js';
import { caseplansModule } from '../modules/caseplans/index.js';
import { engagementModule } from '../modules/engagement/index.js';
import { evidenceModule } from '../modules/evidence/index.js';
import { enrolmentModule } from '../modules/enrolment/index.js';
import { feesModule } from '../modules/fees/index.js';
import { formsModule } from '../modules/forms/index.js';
import { homeModule } from '../modules/home/index.js';
import { identityModule } from '../modules/identity/index.js';
import { knowledgeModule } from '../modules/knowledge/index.js';
import { inboxModule } from '../modules/inbox/index.js';
import { mydataModule } from '../modules/mydata/index.js';
import { notifyModule } from '../modules/notify/index.js';
import { open311Module } from '../modules/open311/index.js';
import { paymentsModule } from '../modules/payments/index.js';
import { performanceModule } from '../modules/performance/index.js';
import { procurementModule } from '../modules/procurement/index.js';
import { operationsModule } from '../modules/operations/index.js';
import { organisationsModule } from '../modules/organisations/index.js';
import { registersModule } from '../modules/registers/index.js';
import { referencesModule } from '../modules/references/index.js';
import { remindersModule } from '../modules/reminders/index.js';
import { retentionModule } from '../modules/retention/index.js';
import { rulesModule } from '../modules/rules/index.js';
import { passportsModule } from '../modules/passports/index.js';
import { sharingModule } from '../modules/sharing/index.js';
import { ssoModule } from '../modules/sso/index.js';
import { submissionsModule } from '../modules/submissions/index.js';

/** Every capability the platform runs, in the order their hooks and routes are registered. */
export const MODULES: ModuleManifest[] = [
  homeModule, // no hooks; first so "Home" leads the navigation
  identityModule,
  agentsModule, // its hook reads the session the identity hook resolved
  organisationsModule,
  registersModule,
  catalogueModule,
  addressModule,
  attachmentsModule, // before forms: its hook gives upload routes the file store
  formsModule,
  submissionsModule,
  caseworkModule,
  evidenceModule, // the evidence exchange: after submissions, whose hub signs its webhooks
  sharingModule, // after submissions and casework: the bodies a person deals with come from them
  caseplansModule, // multi-agency case plans: links submissions and casework records through their index
  open311Module, // after submissions and casework: its reports are their submissions
  enrolmentModule,
  ssoModule,
  operationsModule,
  notifyModule,
  paymentsModule,
  bookingsModule, // after payments: its bookings are paid through payments' internal contract
  feesModule, // after payments: its payments' outcomes; its section on the application page
  engagementModule, // petitions: after identity and organisations, whose index it uses
  procurementModule, // after agents and organisations, whose index it uses
  knowledgeModule, // advisers' knowledge base and directory: uses catalogue and address through their index
  correspondenceModule, // complaints, FOI requests, members' letters: after identity and organisations
  rulesModule, // rules as data: after catalogue, whose services its rule sets belong to
  passportsModule, // passported entitlements: offers made on the approvals submissions announce
  inboxModule,
  remindersModule,
  crmModule, // after agents (its hook marks an assisting adviser's session) and every module it shows
  performanceModule, // after submissions, forms and casework: it measures what they announce
  referencesModule, // the reference index: after identity, agents, registers and submissions, whose index it uses
  mydataModule, // its page gathers every module's personalDataOf
  retentionModule, // last: its job disposes of the records every other module declares
];
