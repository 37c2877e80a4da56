// SLA state of one ticket from a 100-event log, per call: median and p95.
// A measurement, not a test: it prints figures and never fails on them.
import { calendar24x7, computeSlaState, defaultPolicy, type TicketEvent } from '@deskwatch/shared';

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

const samples: number[] = [];
for (let round = 0; round < 200; round++) {
  const n = 200;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) computeSlaState(events, defaultPolicy, calendar24x7, now);
  samples.push(Number(process.hrtime.bigint() - t0) / n / 1000);
}
samples.sort((a, b) => a - b);
const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
console.log(
  `computeSlaState, 100 events, 24x7 calendar: median ${q(0.5).toFixed(2)} µs, p95 ${q(0.95).toFixed(2)} µs per call`,
);
