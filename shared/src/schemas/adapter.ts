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

/** An IANA time zone the runtime knows (`Europe/Berlin`, `UTC`). */
export const ianaZone = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'a time zone is an IANA name like Europe/Berlin');

/** A BCP 47 language tag (`de`, `en-GB`, `fr-CH`). */
const localeTag = z
  .string()
  .regex(/^[a-zA-Z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'a locale is a language tag like de or en-GB');

/**
 * The tool's history list: entries with a time, each holding one or more changes (a field's
 * name, its new value and, where shown, its old one). Status changes rebuild the ticket's status
 * history; priority and assignee changes are kept as events.
 */
const historySpec = z.strictObject({
  /**
   * The history list itself, where the page always shows one: present and empty, the ticket has
   * not changed since creation (nothing to wait for); missing, the page shows no history and the
   * status before the first view is unknown.
   */
  list: field.optional(),
  /** One history entry (may hold several changes). */
  item: field,
  /** Inside the entry: its stable identity on the page (`@id`, `@data-id`), so one change seen twice is one event. */
  id: field.optional(),
  time: field,
  timeFrom,
  /** Inside the entry: each change; absent, the entry itself is one change. */
  change: field.optional(),
  /** Inside a change: the name of the field that changed; absent, every change is a status change. */
  field: field.optional(),
  /** Inside a change: the new value. */
  to: field,
  /** Inside a change: the old value, where shown. */
  from: field.optional(),
  /**
   * Whether the list goes back to the ticket's creation (false: the tool shows only recent
   * entries, so the status before the oldest one shown is unknown and the overlay says so).
   */
  fromCreation: z.boolean().default(true),
  /** The field names the tool writes (any language), compared case-insensitively. */
  names: z
    .strictObject({
      status: z.array(z.string().min(1).max(80)).max(10).default(['status']),
      priority: z.array(z.string().min(1).max(80)).max(10).default(['priority']),
      assignee: z.array(z.string().min(1).max(80)).max(10).default(['assignee']),
    })
    .default({ status: ['status'], priority: ['priority'], assignee: ['assignee'] }),
});

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
  /**
   * URLs that are never this tool's pages though the patterns above match them (a tool
   * self-hosted on any host, whose paths other tools share: `https://github.com/**`).
   */
  notUrlPatterns: z
    .array(z.string().regex(/^https?:\/\/[^/\s]+\/\S*$/, 'a URL pattern is a URL'))
    .max(5)
    .default([]),
  /** What a ticket id looks like, when a path segment alone would also match other pages. */
  idPattern: regexSource.optional(),
  examples: z.strictObject({
    ticket: z.array(httpUrl()).min(1).max(20),
    notTicket: z.array(httpUrl()).max(20).default([]),
  }),
  selectors: z.strictObject({
    /**
     * Must match for the page to be read as a ticket (a tool self-hosted anywhere, whose URL
     * alone does not say so: Redmine's `body.controller-issues.action-show`).
     */
    page: field.optional(),
    subject: field,
    status: field,
    priority: field,
    requester: field,
    /** The requester's e-mail address, where the page shows it (the customer rule compares names and addresses). */
    requesterEmail: field.optional(),
    created: field,
    /** Where the created time is when `created` names no attribute. */
    createdFrom: timeFrom,
    assignee: field.optional(),
    requesterOrg: field.optional(),
    /** Every element matching it is one tag. */
    tags: field.optional(),
    /**
     * The ticket's description, where the tool keeps the first request apart from the
     * conversation: the customer's latest text when no customer message has a body.
     */
    description: field.optional(),
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
      /** The author's name (or e-mail), for the `authorship` rule. */
      author: field.optional(),
      /**
       * With neither `customer` nor `agent`: `requester`, a message is the customer's when its
       * author is the requester (by name or e-mail); `not-agent`, when its author is not in the
       * workspace's agent list (agents and their aliases), so a colleague of the requester who
       * writes in is a customer too, and a ticket created by an agent on the customer's behalf
       * starts with the customer's message.
       */
      authorship: z.enum(['requester', 'not-agent']).default('requester'),
      /** The message is internal (a private note) when it matches (or contains a match). */
      internal: field.optional(),
      /**
       * The message's text. Only the latest customer message's is read, for knowledge-base
       * suggestions: sent to the workspace's server for that search, never stored there.
       */
      body: field.optional(),
    })
    .optional(),
  /** The tool's history list, when the page shows one. */
  history: historySpec.optional(),
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
  /** How to read an all-numeric date written for people, when neither `locale` nor `dateFormat` says. */
  dateOrder: z.enum(['mdy', 'dmy', 'ymd']).default('mdy'),
  /** The tool's display zone, for every date written without one; absent, the browser's zone. */
  timeZone: ianaZone.optional(),
  /** The tool's display language and region: month names, and day/month order of numeric dates. */
  locale: localeTag.optional(),
  /**
   * Where the page says its language, e.g. `html @lang`: over `locale` when it holds a language tag
   * (a tool that follows each user's language preference writes its dates in that language).
   */
  localeFrom: field.optional(),
  /**
   * Where the tool's date format follows its language (read with `localeFrom`): the format per
   * language, lower-case (`de`: `dd.MM.yyyy HH:mm`). Used when no `dateFormat` is set; a date
   * that does not read in it is read in the language's usual order (an instance may be set to
   * another format), cross-checked as always.
   */
  dateFormats: z
    .record(
      z.string().regex(/^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/, 'a lower-case language tag'),
      z.string().trim().min(1).max(60),
    )
    .optional(),
  /** The exact format of dates written for people, in Unicode (LDML) tokens as Luxon reads them: `EEE MMM d HH:mm:ss yyyy`, `dd.MM.yyyy HH:mm`. */
  dateFormat: z.string().trim().min(1).max(60).optional(),
  /** A regular expression removed from the start of the subject (a tool's `#123: ` prefix). */
  subjectPrefix: regexSource.optional(),
});
export type AdapterSpec = z.output<typeof adapterSpec>;
export type AdapterSpecInput = z.input<typeof adapterSpec>;

/**
 * A workspace's own settings for a tool, laid over the adapter's: what its statuses and
 * priorities mean, and how its pages write dates where the workspace's tool differs from the
 * adapter's defaults (its display zone, language, date format; e.g. a Redmine whose profiles
 * show UTC while agents' browsers are elsewhere).
 */
export const adapterValues = z.strictObject({
  status: z.record(z.string().min(1).max(80), z.enum(STATUS_CATEGORIES)).default({}),
  priority: z.record(z.string().min(1).max(80), z.enum(PRIORITIES)).default({}),
  timeZone: ianaZone.optional(),
  locale: localeTag.optional(),
  dateFormat: z.string().trim().min(1).max(60).optional(),
});
export type AdapterValues = z.output<typeof adapterValues>;
