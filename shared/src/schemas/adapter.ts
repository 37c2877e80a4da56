import { z } from 'zod';
import { PRIORITIES, STATUS_CATEGORIES } from '../constants.js';
import { httpUrl } from './api.js';

export {
  DEFAULT_ID_PATTERN,
  exampleMismatches,
  matchTicketUrl,
  urlPatternRegex,
} from '../url-pattern.js';

/**
 * Where a value is on the page: a CSS selector, read as the element's text, or, with a trailing
 * `@name`, as its attribute `name` (e.g. `time.created @datetime`, `input#number @value`). Inside a
 * message or list row, a bare `@name` reads the row element's own attribute. ` >>> ` steps into
 * an element's open shadow root (`now-record-form >>> .title`), and `a || b` tries `b` when `a`
 * matches nothing (two layouts of one tool). Where a status or priority
 * selector matches several elements (labels), the first one the value map knows is used.
 */
const field = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine((s) => !/^@?$/.test(s), 'a selector is CSS, optionally followed by @attribute');

const urlPattern = z
  .string()
  .regex(
    /^https?:\/\/[^/\s]+\/\S*:id\S*$/,
    'a URL pattern starts with http(s):// and contains :id where the ticket id is',
  );

const regexSource = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => {
    try {
      new RegExp(s);
      return !/\((?!\?:)/.test(s);
    } catch {
      return false;
    }
  }, 'the id pattern is a regular expression without capturing groups');

/** How the time of a message or of the ticket is written: a machine attribute first, text for people last. */
const timeFrom = z.enum(['datetime', 'title', 'text']).default('datetime');

/**
 * A ticketing-tool adapter as data: which URLs are ticket pages, where each field is, and what
 * the tool's statuses and priorities mean. Built-in adapters and the ones users teach with the
 * picker are both written this way and run through the same engine in the extension.
 */
export const adapterSpec = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'an adapter id is lower-case letters, digits and dashes'),
  name: z.string().min(1).max(80),
  version: z.string().min(1).max(20).default('1'),
  /** e.g. `https://help.example.com/tickets/:id`; see `urlPatternRegex` for `*` and `**`. */
  urlPattern,
  /** Other URL shapes of the same ticket page (a queue view with the ticket open, an older UI). */
  alsoUrlPatterns: z.array(urlPattern).max(5).default([]),
  /** What a ticket id looks like, when a path segment alone would also match other pages. */
  idPattern: regexSource.optional(),
  examples: z.strictObject({
    ticket: z.array(httpUrl()).min(1).max(20),
    notTicket: z.array(httpUrl()).max(20).default([]),
  }),
  selectors: z.strictObject({
    subject: field,
    status: field,
    priority: field,
    requester: field,
    created: field,
    /** Where the created time is when `created` names no attribute. */
    createdFrom: timeFrom,
    assignee: field.optional(),
    requesterOrg: field.optional(),
    /** Every element matching it is one tag. */
    tags: field.optional(),
    /** The reply box, so the overlay can insert a link or an answer. */
    replyBox: z.string().min(1).max(500).optional(),
  }),
  /** The conversation, when the page shows it: each message's time, author kind and visibility. */
  messages: z
    .strictObject({
      item: field,
      /** Inside the message. */
      time: field,
      timeFrom,
      id: field.optional(),
      /** The message is the customer's when it matches (or contains a match); otherwise an agent's. */
      customer: field.optional(),
      /** ...or: the message is an agent's when it matches; otherwise the customer's. */
      agent: field.optional(),
      /** The author's name: with neither `customer` nor `agent`, a message by the requester is the customer's. */
      author: field.optional(),
      /** The message is internal (a private note) when it matches (or contains a match). */
      internal: field.optional(),
      /**
       * The message's text. Only the latest customer message's is read, for knowledge-base
       * suggestions: sent to the workspace's server for that search, never stored there.
       */
      body: field.optional(),
    })
    .optional(),
  /** The tool's ticket lists, where each row gets a compact SLA badge. */
  list: z
    .strictObject({
      urlPatterns: z
        .array(z.string().regex(/^https?:\/\/[^/\s]+\/\S*$/, 'a list URL pattern is a URL'))
        .min(1)
        .max(5),
      /** One ticket per row; its id comes from the first link in it to a ticket page. */
      row: field,
      /** Inside the row, where the badge goes (the row itself when left out). */
      badgeAt: field.optional(),
    })
    .optional(),
  values: z.strictObject({
    status: z.record(z.string().min(1).max(80), z.enum(STATUS_CATEGORIES)),
    priority: z.record(z.string().min(1).max(80), z.enum(PRIORITIES)),
  }),
  /** For tools without priorities (or tickets without one set): the priority to assume. */
  defaultPriority: z.enum(PRIORITIES).optional(),
  /** How to read an all-numeric date written for people. */
  dateOrder: z.enum(['mdy', 'dmy', 'ymd']).default('mdy'),
});
export type AdapterSpec = z.output<typeof adapterSpec>;
export type AdapterSpecInput = z.input<typeof adapterSpec>;

/** A workspace's own meaning for a tool's statuses and priorities, laid over the adapter's. */
export const adapterValues = z.strictObject({
  status: z.record(z.string().min(1).max(80), z.enum(STATUS_CATEGORIES)).default({}),
  priority: z.record(z.string().min(1).max(80), z.enum(PRIORITIES)).default({}),
});
export type AdapterValues = z.output<typeof adapterValues>;
