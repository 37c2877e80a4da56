// Domain constants without validation code, so code that runs in pages (the overlay) stays small.

/** Status categories every source maps its own statuses onto (DESIGN.md "Ticket sources"). */
export const STATUS_CATEGORIES = [
  'new',
  'open',
  'pending_customer',
  'on_hold',
  'solved',
  'closed',
] as const;
export type StatusCategory = (typeof STATUS_CATEGORIES)[number];

export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const ROLES = ['agent', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Categories in which a ticket is finished: clocks that end on resolution stop here. */
export const DONE_CATEGORIES: readonly StatusCategory[] = ['solved', 'closed'];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
