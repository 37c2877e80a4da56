// Who is on call, for 1,000 schedules at once (target <= 50 ms), over a year of shifts: the
// cached answer (WhoCache, kept until each schedule's next handoff) against compiling each
// schedule and asking it, as a page or the On-call screen did before the cache.
// A measurement, not a test: it prints figures and never fails on them.
import { OnCallSchedule, WhoCache, type Schedule } from '@deskwatch/shared';
import { quantiles } from './lib.js';

const SCHEDULES = 1_000;
const DAY = 86_400_000;
const YEAR_START = Date.parse('2026-01-01T00:00:00Z');
const zones = ['Europe/Amsterdam', 'America/New_York', 'Asia/Tokyo', 'UTC'];

// A deterministic spread of rotas: a weekly office-hours layer, a daily nights layer, and a
// year of overrides (a few a month) per schedule.
let seed = 42;
const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const specs: Schedule[] = [];
for (let i = 0; i < SCHEDULES; i++) {
  const people = Array.from({ length: 3 + (i % 5) }, (_, j) => `u${i}-${j}`);
  const overrides = Array.from({ length: 40 }, (_, k) => {
    const start = YEAR_START + Math.floor(rand() * 365 * DAY);
    return {
      id: `o${i}-${k}`,
      userId: people[k % people.length]!,
      start,
      end: start + 4 * 3_600_000,
    };
  });
  specs.push({
    timeZone: zones[i % zones.length]!,
    layers: [
      {
        id: 'office',
        name: 'Office',
        start: '2026-01-05T09:00',
        turn: 'weekly',
        participants: people,
        restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' }],
      },
      {
        id: 'nights',
        name: 'Nights',
        start: '2026-01-05T17:00',
        turn: i % 3 === 0 ? { hours: 12 } : 'daily',
        participants: [...people].reverse(),
        restrictions: [],
      },
    ],
    overrides,
  });
}

function pass(ask: (i: number, t: number) => unknown, t: number) {
  const t0 = performance.now();
  for (let i = 0; i < SCHEDULES; i++) ask(i, t);
  return performance.now() - t0;
}

const instantsSpread = Array.from(
  { length: 60 },
  (_, k) => YEAR_START + Math.floor(((k + rand()) / 60) * 365 * DAY),
);
// The screen and the scheduler ask again and again: a minute apart, for an hour.
const instantsMinutely = Array.from({ length: 60 }, (_, k) => YEAR_START + 200 * DAY + k * 60_000);

function series(name: string, instants: number[], ask: (i: number, t: number) => unknown) {
  return { name, ...quantiles(instants.map((t) => pass(ask, t))) };
}

const compiled = specs.map((s) => new OnCallSchedule(s));
const cache = new WhoCache();
const cold = pass((i, t) => cache.at(`s${i}`, 'v1', t, () => compiled[i]!), YEAR_START);

const baseline = series('compile + at (no cache), a year', instantsSpread, (i, t) =>
  new OnCallSchedule(specs[i]!).at(t),
);
const rows = [
  baseline,
  series('compiled, at (no cache), a year', instantsSpread, (i, t) => compiled[i]!.at(t)),
  series('WhoCache, a year (every answer expired)', instantsSpread, (i, t) =>
    cache.at(`s${i}`, 'v1', t, () => compiled[i]!),
  ),
  series('WhoCache, each minute for an hour', instantsMinutely, (i, t) =>
    cache.at(`s${i}`, 'v1', t, () => compiled[i]!),
  ),
];

console.log(
  `who is on call for ${SCHEDULES} schedules (ms per pass over all of them; target <= 50 ms)`,
);
console.log(`  first pass, compiling into the cache: ${cold.toFixed(1)} ms`);
for (const r of rows)
  console.log(
    `  ${r.name.padEnd(42)} median ${r.median.toFixed(2).padStart(8)} ms (x${(r.median / baseline.median).toFixed(3)})` +
      `  p95 ${r.p95.toFixed(2).padStart(8)} ms (x${(r.p95 / baseline.p95).toFixed(3)})`,
  );
