import type { UserFields } from '../users/user-model.js';
import { printable } from './command-support.js';

/** What `list` shows of a user: everything but the password hash, which is never even loaded. */
export type ListedUser = Pick<
  UserFields,
  'username' | 'isActive' | 'isStaff' | 'isSuperuser' | 'dateJoined' | 'lastLogin'
>;

/** The projection that loads exactly the listed fields. */
export const listedFields = {
  _id: 0,
  username: 1,
  isActive: 1,
  isStaff: 1,
  isSuperuser: 1,
  dateJoined: 1,
  lastLogin: 1,
} as const;

const headings = ['USERNAME', 'ACTIVE', 'STAFF', 'SUPERUSER', 'DATE JOINED', 'LAST LOGIN'];

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

/** UTC to the second: `2025-06-01T12:00:00Z`. */
function timestamp(date: Date | null | undefined): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : 'never';
}

/** The users as a plain table, one line per user under a heading line, columns aligned. */
export function userTable(users: readonly ListedUser[]): string[] {
  const rows = [
    headings,
    ...users.map((user) => [
      printable(user.username),
      yesNo(user.isActive),
      yesNo(user.isStaff),
      yesNo(user.isSuperuser),
      timestamp(user.dateJoined),
      timestamp(user.lastLogin),
    ]),
  ];
  const widths = headings.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

/** The users as a JSON array (dates as ISO strings, `lastLogin` null when never). */
export function userJson(users: readonly ListedUser[]): string {
  return JSON.stringify(
    users.map((user) => ({
      username: user.username,
      isActive: user.isActive,
      isStaff: user.isStaff,
      isSuperuser: user.isSuperuser,
      dateJoined: user.dateJoined,
      lastLogin: user.lastLogin ?? null,
    })),
    null,
    2,
  );
}
