// SLA state of one ticket from a 100-event log, per call: median and p95 (target <= 50 µs median),
// on calendar time and on a business calendar with a lunch break and holidays.
// A measurement, not a test: it prints figures and never fails on them.
import {
  businessCalendar,
  calendar24x7,
  computeSlaState,
  defaultPolicy,
  type Calendar,
  type TicketEvent,
} from '@deskwatch/shared';
import { quantiles } from './lib.js';

const start = Date.parse('2026-03-02T08:00:00Z');
const events: TicketEvent[] = [
  { type: 'created', at: start },
  { type: 'priority', at: start, priority: 'high' },
];
for (let i = 0; events.length < 100; i++) {
  const at = start + i * 7 * 60_000;
  if (i % 5 === 0)
    events.push({ type: 'status', at, category: i % 10 === 0 ? 'pending_customer' : 'open' });
  else
    events.push({ type: 'message', at, author: i % 2 ? 'customer' : 'agent', public: i % 3 !== 0 });
}
const now = start + 3 * 86_400_000;
const split = [
  { start: '09:00', end: '12:30' },
  { start: '13:30', end: '18:00' },
];
const office = businessCalendar({
  name: 'Office',
  timeZone: 'Europe/Amsterdam',
  hours: { mon: split, tue: split, wed: split, thu: split, fri: split },
  holidays: [{ yearly: '12-25' }, { date: '2026-04-27' }],
});

function measure(name: string, cal: Calendar) {
  const samples: number[] = [];
  for (let round = 0; round < 200; round++) {
    const n = 200;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) computeSlaState(events, defaultPolicy, cal, now);
    samples.push(Number(process.hrtime.bigint() - t0) / n / 1000);
  }
  const q = quantiles(samples);
  console.log(
    `computeSlaState, 100 events, ${name}: median ${q.median.toFixed(2)} µs, p95 ${q.p95.toFixed(2)} µs per call (target 50 µs median; ${((q.median / 50) * 100).toFixed(0)}% of it)`,
  );
}
measure('24x7 calendar', calendar24x7);
measure('business calendar (split day, holidays)', office);
