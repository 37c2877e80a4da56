import { z } from 'zod';
import { PRIORITIES, STATUS_CATEGORIES } from '../constants.js';

export { exampleMismatches, urlPatternRegex } from '../url-pattern.js';

const css = z.string().min(1).max(500);

/**
 * A ticketing-tool adapter as data, taught by a user instead of written as code: which URLs are
 * ticket pages, where each field is, and what the tool's statuses and priorities mean. Built-in
 * and taught adapters run through the same engine in the extension.
 */
export const adapterSpec = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'an adapter id is lower-case letters, digits and dashes'),
  name: z.string().min(1).max(80),
  version: z.string().min(1).max(20).default('1'),
  /** e.g. `https://help.example.com/tickets/:id`; `*` matches within one host label or path segment. */
  urlPattern: z
    .string()
    .regex(
      /^https?:\/\/[^/\s]+\/\S*:id\S*$/,
      'a URL pattern starts with http(s):// and contains :id where the ticket id is',
    ),
  examples: z.object({
    ticket: z.array(z.url()).min(1).max(20),
    notTicket: z.array(z.url()).max(20).default([]),
  }),
  selectors: z.object({
    subject: css,
    status: css,
    priority: css,
    requester: css,
    created: css,
    /** Where the created time is: a `datetime`/`title` attribute (preferred) or the element's text. */
    createdFrom: z.enum(['datetime', 'title', 'text']).default('datetime'),
  }),
  values: z.object({
    status: z.record(z.string().min(1).max(80), z.enum(STATUS_CATEGORIES)),
    priority: z.record(z.string().min(1).max(80), z.enum(PRIORITIES)),
  }),
  /** How to read an all-numeric date written for people. */
  dateOrder: z.enum(['mdy', 'dmy', 'ymd']).default('mdy'),
});
export type AdapterSpec = z.output<typeof adapterSpec>;
export type AdapterSpecInput = z.input<typeof adapterSpec>;
