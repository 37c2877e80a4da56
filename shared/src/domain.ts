import { z } from 'zod';

/** Status categories every source maps its own statuses onto (DESIGN.md "Ticket sources"). */
export const STATUS_CATEGORIES = [
  'new',
  'open',
  'pending_customer',
  'on_hold',
  'solved',
  'closed',
] as const;
export const statusCategory = z.enum(STATUS_CATEGORIES);
export type StatusCategory = z.infer<typeof statusCategory>;

export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export const priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof priority>;

export const ROLES = ['agent', 'manager', 'admin'] as const;
export const role = z.enum(ROLES);
export type Role = z.infer<typeof role>;

/** Categories in which a ticket is finished: clocks that end on resolution stop here. */
export const DONE_CATEGORIES: readonly StatusCategory[] = ['solved', 'closed'];
