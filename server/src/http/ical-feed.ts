import { Hono } from 'hono';
import type { Shifts } from '../services/shifts.js';

/** Where a feed's token is served; the token is the only credential, so it is long and random. */
export const feedPath = (token: string) => `/ical/${token}.ics`;

export interface FeedShift {
  scheduleId: string;
  scheduleName: string;
  start: number;
  end: number;
  overrideId: string | null;
}

/** An RFC 5545 DATE-TIME in UTC: 20260327T090000Z. */
const utc = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/\.\d{3}/, '')
    .replace(/[-:]/g, '');

/** TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline. */
const text = (s: string) => s.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');

/** Lines longer than 75 octets are folded: CRLF and one space (RFC 5545 3.1), never inside a character. */
function fold(line: string): string {
  const out: string[] = [];
  let cur = '';
  let bytes = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > (out.length ? 74 : 75)) {
      out.push(cur);
      cur = '';
      bytes = 0;
    }
    cur += ch;
    bytes += n;
  }
  out.push(cur);
  return out.join('\r\n ');
}

/**
 * A person's next shifts as an iCalendar (RFC 5545) with times in UTC, which every calendar
 * shows in its own zone. Each shift's UID is stable, so a calendar updates it in place.
 * @example shiftsCalendar({ userName: 'Ana', shifts, now: Date.now(), host: 'desk.example' })
 */
export function shiftsCalendar(opts: {
  userName: string;
  shifts: FeedShift[];
  now: number;
  host: string;
}): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Deskwatch//On call//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${text(`On call: ${opts.userName}`)}`,
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
  ];
  for (const s of opts.shifts) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${text(`${s.scheduleId}-${s.start}-${s.overrideId ?? 'rota'}@${opts.host}`)}`,
      `DTSTAMP:${utc(opts.now)}`,
      `DTSTART:${utc(s.start)}`,
      `DTEND:${utc(s.end)}`,
      `SUMMARY:${text(`On call: ${s.scheduleName}`)}`,
      ...(s.overrideId ? [`DESCRIPTION:${text('Taken over from the rota')}`] : []),
      'TRANSP:OPAQUE',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}

/** GET /ical/<token>.ics: the feed of whoever holds the token; 404 for anything else. */
export function icalFeed(shifts: Shifts, now: () => number) {
  const app = new Hono();
  app.get('/:file{[A-Za-z0-9_-]{20,200}\\.ics}', async (c) => {
    const token = c.req.param('file').slice(0, -'.ics'.length);
    const feed = await shifts.feedShifts(token);
    if (!feed) return c.text('No such calendar', 404);
    const body = shiftsCalendar({
      userName: feed.userName,
      shifts: feed.shifts,
      now: now(),
      host: new URL(c.req.url).hostname,
    });
    return c.body(body, 200, {
      'content-type': 'text/calendar; charset=utf-8',
      'cache-control': 'private, no-store',
    });
  });
  return app;
}
