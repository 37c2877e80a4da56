import { describe, expect, it } from 'vitest';
import { snapshot } from '../testing.js';
import {
  disagreement,
  emptyLog,
  mergeView,
  observationsOf,
  replay,
  type LogEvent,
  type StoredObservation,
} from './sources.js';

const T0 = Date.parse('2026-03-27T09:00:00Z');
const MIN = 60_000;

/** Views as the server takes them: merged when they agree, every new reading stored either way. */
function live(views: { source: string; t: number; snap: ReturnType<typeof snapshot> }[]) {
  const log = emptyLog();
  const events: LogEvent[] = [];
  const stored: StoredObservation[] = [];
  const flagged = new Set<string>();
  const kept = new Set<string>();
  for (const { source, t, snap } of views) {
    const view = observationsOf(snap, t);
    const why = flagged.has(source) ? 'flagged' : disagreement(log, view);
    if (why) flagged.add(source);
    else events.push(...mergeView(log, view));
    for (const o of view) {
      const k = `${source}|${o.dedupeKey}|${o.at}`;
      if (kept.has(k)) continue;
      kept.add(k);
      stored.push({ ...o, sourceKey: source, recordedAt: t, seq: stored.length });
    }
  }
  return { events, stored, flagged };
}

describe('replaying stored views', () => {
  it('gives the log the views made as they came, flags included', () => {
    const shifted = (iso: string) => new Date(Date.parse(iso) - 5 * 3_600_000).toISOString();
    const base = snapshot();
    const views = [
      { source: 'a', t: T0, snap: base },
      {
        source: 'b',
        t: T0 + 5 * MIN,
        snap: snapshot({ status: 'Pending', statusCategory: 'pending_customer' }),
      },
      {
        source: 'c',
        t: T0 + 6 * MIN,
        snap: { ...base, createdAt: shifted(base.createdAt) },
      },
      { source: 'a', t: T0 + 10 * MIN, snap: snapshot({ priority: 'urgent' }) },
      { source: 'c', t: T0 + 11 * MIN, snap: base }, // agrees now, but stays flagged
    ];
    const { events, stored, flagged } = live(views);
    expect([...flagged]).toEqual(['c']);
    const r = replay(stored);
    expect(r.events.map(({ recordedAt: _, ...e }) => e)).toEqual(events);
    expect([...r.flagged.keys()]).toEqual(['c']);
    expect(r.flagged.get('c')!.conflict).toMatch(/^Times off by 5 h/);
    // Shuffled rows replay the same: the stored order decides, not the order read back.
    expect(replay([...stored].reverse()).events).toEqual(r.events);
  });

  it('without the first source, takes the creation and status from the next one', () => {
    const { stored } = live([
      {
        source: 'a',
        t: T0,
        snap: snapshot({ createdAt: '2026-03-27T03:40:00.000Z', messages: [] }),
      },
      { source: 'b', t: T0 + MIN, snap: snapshot() },
    ]);
    const r = replay(stored.filter((o) => o.sourceKey !== 'a'));
    expect(r.log.createdAt).toBe(Date.parse('2026-03-27T08:40:00Z'));
    expect(r.flagged.size).toBe(0);
    expect(r.events.map((e) => e.dedupeKey)).toEqual([
      'created',
      'priority@' + Date.parse('2026-03-27T08:40:00Z'),
      `status@${T0 + MIN}`,
      'msg:m1',
    ]);
  });
});
