import type { ColumnType, Generated, Selectable } from 'kysely';

export const BUSINESS_TYPES = ['business', 'charity'] as const;
export type BusinessType = (typeof BUSINESS_TYPES)[number];
export type MemberRole = 'administrator' | 'assistant';
export type AuthorityStatus = 'requested' | 'approved' | 'declined' | 'revoked';

export interface BusinessAccountTable {
  id: Generated<string>;
  name: string;
  type: BusinessType;
  companies_house_number: string | null;
  charity_number: string | null;
  is_agent: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface BusinessMemberTable {
  business_id: string;
  user_id: string;
  role: MemberRole;
  added_at: Generated<Date>;
}

export interface BusinessInvitationTable {
  id: Generated<string>;
  business_id: string;
  email: string;
  role: ColumnType<MemberRole, MemberRole | undefined, MemberRole>;
  invited_by: string | null;
  created_at: Generated<Date>;
  expires_at: Date;
  accepted_at: ColumnType<Date | null, never, Date>;
  accepted_by: ColumnType<string | null, never, string>;
}

export interface AgentAuthorityTable {
  id: Generated<string>;
  agent_business_id: string;
  client_user_id: string;
  status: ColumnType<AuthorityStatus, AuthorityStatus | undefined, AuthorityStatus>;
  requested_by: string | null;
  requested_at: Generated<Date>;
  expires_at: Date;
  approved_at: ColumnType<Date | null, never, Date>;
  ended_at: ColumnType<Date | null, never, Date>;
}

export interface AgentAuthorityServiceTable {
  authority_id: string;
  service_id: string;
}

export interface ActingSessionTable {
  session_id_hash: string;
  user_id: string;
  authority_id: string;
  client_user_id: string;
  agent_business_id: string;
  started_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    business_accounts: BusinessAccountTable;
    business_members: BusinessMemberTable;
    business_invitations: BusinessInvitationTable;
    agent_authorities: AgentAuthorityTable;
    agent_authority_services: AgentAuthorityServiceTable;
    acting_sessions: ActingSessionTable;
  }
}

export type BusinessAccountRow = Selectable<BusinessAccountTable>;
export type BusinessInvitationRow = Selectable<BusinessInvitationTable>;
export type AgentAuthorityRow = Selectable<AgentAuthorityTable>;
