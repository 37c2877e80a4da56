import { z } from 'zod';
import { role } from '../domain.js';

const id = z.string().min(1).max(64);
const email = z.email().max(254);
/** A new password: long enough to resist guessing, short enough to hash quickly. */
export const newPassword = z
  .string()
  .min(10, 'A password has at least 10 characters')
  .max(200, 'A password has at most 200 characters');
const personName = z.string().trim().min(1, 'Enter a name').max(80);
const workspaceName = z.string().trim().min(1, 'Enter a name for the workspace').max(80);

/** The first workspace and its first admin, on a server that has none (or a sign-up, where allowed). */
export const createWorkspaceInput = z.strictObject({
  workspaceName,
  name: personName,
  email,
  password: newPassword,
});

/** How long an invitation link works unless the admin says otherwise. */
export const INVITATION_DAYS = 7;

export const inviteInput = z.strictObject({
  email,
  role,
  /** How many days the link works (1 to 30). */
  days: z.number().int().min(1).max(30).default(INVITATION_DAYS),
});

/** The secret part of an invitation link (`/join#<token>`). */
export const invitationToken = z
  .string()
  .min(20)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'not an invitation link');

export const joinInput = z.strictObject({
  token: invitationToken,
  name: personName,
  password: newPassword,
});

export const setRoleInput = z.strictObject({ userId: id, role });

export const deactivateInput = z.strictObject({
  userId: id,
  /** Who takes over what the person owned (escalations waiting on them); nobody when absent. */
  transferTo: id.optional(),
});

export const auditListInput = z.strictObject({
  /** Entries older than this one (its `seq`, the last page's `nextCursor`); the newest when absent. */
  cursor: z.number().int().min(1).optional(),
  limit: z.number().int().min(1).max(100).default(50),
  /** Sent by tRPC's infinite queries with every page; pages only go to older entries. */
  direction: z.enum(['forward', 'backward']).optional(),
});
