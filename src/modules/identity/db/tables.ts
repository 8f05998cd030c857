import type { ColumnType, Generated, Selectable } from 'kysely';

export const STAFF_ROLES = ['caseworker', 'service-owner', 'admin', 'platform-admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface UserTable {
  id: Generated<string>;
  email: string;
  password_hash: string;
  display_name: string;
  kind: 'citizen' | 'staff';
  organisation_id: string | null;
  roles: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Generated<Date>;
  last_signed_in_at: ColumnType<Date | null, never, Date>;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  created_at: Generated<Date>;
  expires_at: Date;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    users: UserTable;
    sessions: SessionTable;
  }
}

export type UserRow = Selectable<UserTable>;
