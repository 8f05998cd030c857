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
  identity_level: ColumnType<'P0' | 'P2', 'P0' | 'P2' | undefined, 'P0' | 'P2'>;
  email_verified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  created_at: Generated<Date>;
  expires_at: Date;
  credential_level: ColumnType<'Cl' | 'Cl.Cm', 'Cl' | 'Cl.Cm' | undefined, 'Cl' | 'Cl.Cm'>;
  last_seen_at: ColumnType<Date, Date | undefined, Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    users: UserTable;
    sessions: SessionTable;
  }
}

export type UserRow = Selectable<UserTable>;
