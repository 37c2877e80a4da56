// Recompute 100k open tickets after a policy change on the embedded database (target <= 10 s).
// A measurement that prints figures; it never fails on them.
import { defaultPolicy } from '@deskwatch/shared';
import { seededDb } from './lib.js';

const N = Number(process.env.BENCH_TICKETS ?? 100_000);
const now = Date.parse('2026-03-27T12:00:00Z');
const env = await seededDb(N, { createdAt: (i) => now - ((i * 37) % 86_400_000), now: () => now });
console.log(
  `seeded ${N} open tickets (${(await env.client.execute('SELECT count(*) FROM ticket_events')).rows[0]![0]} events) in ${(env.seedMs / 1000).toFixed(1)} s`,
);

const office = {
  name: 'Office',
  timeZone: 'Europe/Amsterdam',
  hours: Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
  ),
};
const { id: calendarId } = await env.services.sla.saveCalendar(env.workspaceId, undefined, office); // first pass: states and timers for every ticket
const t0 = performance.now();
const res = await env.services.sla.savePolicies(env.workspaceId, [
  {
    policy: {
      ...defaultPolicy,
      name: 'Changed',
      calendarId,
      warnings: { percents: [50, 80], beforeDueMinutes: [15] },
    },
  },
]);
const ms = performance.now() - t0;
const due = (await env.client.execute('SELECT count(*) FROM ticket_sla WHERE next_at IS NOT NULL'))
  .rows[0]![0];
console.log(
  `policy change recomputed ${res.recomputed} open tickets in ${(ms / 1000).toFixed(2)} s (target 10 s; ${((ms / 10_000) * 100).toFixed(0)}% of it), ${((ms * 1000) / res.recomputed).toFixed(0)} µs per ticket`,
);
console.log(
  `${due} tickets with a next alert instant after the change; database ${env.sizeMb().toFixed(0)} MB`,
);
env.close();
