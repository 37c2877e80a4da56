import {
  PRIORITIES,
  STATUS_CATEGORIES,
  type Priority,
  type StatusCategory,
} from '@deskwatch/shared';

/**
 * A first guess at the URL pattern of a ticket page: the last path segment (or query value) that
 * looks like an id becomes `:id`. The user edits it in the picker; this only saves typing.
 * @example guessUrlPattern('https://help.acme.com/cases/77?tab=1') // 'https://help.acme.com/cases/:id'
 */
export function guessUrlPattern(href: string): string {
  const u = new URL(href);
  const looksLikeId = (s: string) => /^(?=.*\d)[A-Za-z0-9_-]{1,64}$/.test(s);
  const segments = u.pathname.split('/');
  for (let i = segments.length - 1; i >= 0; i--) {
    if (looksLikeId(segments[i]!)) {
      segments[i] = ':id';
      return `${u.protocol}//${u.host}${segments.join('/')}`;
    }
  }
  for (const [k, v] of u.searchParams) {
    if (looksLikeId(v)) return `${u.protocol}//${u.host}${u.pathname}?${k}=:id`;
  }
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/$/, '')}/:id`;
}

/** An adapter id from the site's host: `help.acme.com` → `help-acme-com`. */
export function guessAdapterId(href: string): string {
  const id = new URL(href).hostname
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return /^[a-z0-9]/.test(id) ? id : `tool-${id}`.slice(0, 40);
}

const STATUS_WORDS: [RegExp, StatusCategory][] = [
  [/\b(new|unassigned|untriaged)\b/i, 'new'],
  [/(customer|requester|caller|reply|feedback|awaiting (customer|user))/i, 'pending_customer'],
  [/\b(hold|vendor|third party|blocked|waiting on (us|vendor))\b/i, 'on_hold'],
  [/\b(solved|resolved|done|fixed)\b/i, 'solved'],
  [/\b(closed|cancell?ed|rejected|won'?t fix|duplicate|spam)\b/i, 'closed'],
  [/\b(open|active|progress|assigned|triage|agent|working)\b/i, 'open'],
  [/\b(pending|waiting)\b/i, 'pending_customer'],
];
const PRIORITY_WORDS: [RegExp, Priority][] = [
  [/\b(urgent|critical|blocker|highest|emergency|p0|p1|sev ?1|immediate)\b/i, 'urgent'],
  [/\b(high|major|p2|sev ?2)\b/i, 'high'],
  [/\b(normal|medium|moderate|p3|sev ?3)\b/i, 'normal'],
  [/\b(low|lowest|minor|trivial|planning|p4|p5|sev ?4)\b/i, 'low'],
];

/** Deskwatch's category for a tool's status name, when the words make it plain; else null. */
export function guessStatus(text: string): StatusCategory | null {
  const hit = STATUS_WORDS.find(([re]) => re.test(text));
  return hit && STATUS_CATEGORIES.includes(hit[1]) ? hit[1] : null;
}

export function guessPriority(text: string): Priority | null {
  const hit = PRIORITY_WORDS.find(([re]) => re.test(text));
  return hit && PRIORITIES.includes(hit[1]) ? hit[1] : null;
}

/**
 * The tool's name as the site calls itself (`og:site_name`, `application-name`), else its host
 * without `www.`: never the page title, which names the ticket.
 * @example guessToolName({ siteName: null, appName: null, hostname: 'www.help.acme.com' }) // 'help.acme.com'
 */
export function guessToolName(site: {
  siteName: string | null;
  appName: string | null;
  hostname: string;
}): string {
  const named = [site.siteName, site.appName].map((s) => s?.trim()).find((s) => s);
  return (named ?? site.hostname.replace(/^www\./, '')).slice(0, 80);
}

const PREFIXES: [RegExp, string][] = [
  [/^#\d+\s*[:\-–]\s*/, '^#\\d+\\s*[:\\-–]\\s*'],
  [/^\[#?\d+\]\s*/, '^\\[#?\\d+\\]\\s*'],
  [/^[A-Z]{2,10}-\d+\s*[:\-–]\s*/, '^[A-Z]{2,10}-\\d+\\s*[:\\-–]\\s*'],
  [
    /^(?:Ticket|Case|Request)\s+#?\d+\s*[:\-–]\s*/i,
    '^(?:Ticket|Case|Request)\\s+#?\\d+\\s*[:\\-–]\\s*',
  ],
];

/**
 * A cleanup pattern for a subject that starts with the tool's ticket number (`#12: `, `[#12] `,
 * `HD-12 - `), as the regular expression `subjectPrefix` removes; null when it starts with words.
 * @example guessSubjectPrefix('#101: Printer on fire') // { pattern: '^#\\d+\\s*[:\\-–]\\s*', prefix: '#101: ' }
 */
export function guessSubjectPrefix(subject: string): { pattern: string; prefix: string } | null {
  for (const [re, pattern] of PREFIXES) {
    const m = subject.match(re);
    if (m) return { pattern, prefix: m[0] };
  }
  return null;
}

/** Lower-case words of 3+ letters or digits (`Waiting for customer` → waiting, for, customer). */
const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? [];

/**
 * Whether a class name, id or attribute value encodes the value it sits on (`prio-high` on
 * "High", `user-4711` on anyone, `ticket-101` on ticket 101): such a selector matches only the
 * tickets that share that value, so the picker never offers it. Runs of 2+ digits are ids.
 * @example encodesValue('ticket-info-priority-high', 'High', '7') // true
 */
export function encodesValue(
  token: string,
  value: string | null,
  ticketId: string | null,
): boolean {
  if (/\d{2,}/.test(token)) return true;
  if (ticketId && token.includes(ticketId)) return true;
  const parts = new Set(token.toLowerCase().split(/[^\p{L}\p{N}]+/u));
  const squashed = token.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  const vw = words(value ?? '');
  return vw.some((w) => parts.has(w)) || (vw.length > 1 && squashed.includes(vw.join('')));
}
