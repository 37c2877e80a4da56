import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TicketSnapshot } from '@deskwatch/shared';
import { applyUpdate } from '../connectors/apply.js';
import { snapshot } from '../testing.js';
import {
  disagreement,
  emptyLog,
  isApiSource,
  mergeView,
  observationsOf,
  replay,
  SOURCE_SKEW_MS,
  type LogEvent,
  type StoredObservation,
} from './sources.js';

const T0 = Date.parse('2026-03-27T09:00:00Z');
const MIN = 60_000;

/** Views as the server takes them: merged when they agree, every new reading stored either way. */
function live(views: { source: string; t: number; snap: TicketSnapshot }[]) {
  const log = emptyLog();
  const stored: StoredObservation[] = [];
  const flagged = new Set<string>();
  const kept = new Set<string>();
  for (const { source, t, snap } of views) {
    const view = observationsOf(snap, t);
    const api = isApiSource(source);
    const why = flagged.has(source) ? 'flagged' : api ? null : disagreement(log, view);
    if (why) flagged.add(source);
    else mergeView(log, view, { api });
    for (const o of view) {
      const k = `${source}|${o.dedupeKey}|${o.at}`;
      if (kept.has(k)) continue;
      kept.add(k);
      stored.push({ ...o, sourceKey: source, recordedAt: t, seq: stored.length });
    }
  }
  return { events: [...log.events.values()], stored, flagged };
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

const CREATED = Date.parse('2026-03-27T08:40:00Z');
const at = (hhmm: string) => Date.parse(`2026-03-27T${hhmm}:00Z`);
type Cat = TicketSnapshot['statusCategory'];
const NAME: Record<Cat, string> = {
  new: 'New',
  open: 'Open',
  pending_customer: 'Pending',
  on_hold: 'On hold',
  solved: 'Solved',
  closed: 'Closed',
};

/** The connector's picture after these tool events, applied one by one as deliveries would be. */
function tool(
  changes: (
    | { type: 'created'; id: string; at: number; category: Cat }
    | { type: 'status'; id: string; at: number; category: Cat }
    | { type: 'message'; id: string; at: number; author: 'agent' | 'customer'; public: boolean }
  )[],
): TicketSnapshot {
  let snap: TicketSnapshot | null = null;
  for (const c of changes) {
    const change =
      c.type === 'message'
        ? c
        : c.type === 'created'
          ? { ...c, status: NAME[c.category], priority: 'high' as const }
          : { ...c, status: NAME[c.category] };
    const next = applyUpdate(
      snap,
      {
        externalId: '1',
        url: 'http://127.0.0.1:8787/demo/tickets/1',
        fields: { createdAt: CREATED, priority: 'high' },
        changes: [change],
        toolAt: c.at,
      },
      'demo-desk',
    );
    if ('error' in next) throw new Error(next.error);
    snap = next;
  }
  return snap!;
}

/** What a page without a history list shows of the ticket in this category. */
const page = (category: Cat, over: Partial<TicketSnapshot> = {}) =>
  snapshot({ status: NAME[category], statusCategory: category, messages: [], ...over });

const statuses = (events: LogEvent[]) =>
  events
    .filter((e) => e.type === 'status')
    .sort((a, b) => a.at - b.at)
    .map((e) => `${new Date(e.at).toISOString().slice(11, 16)} ${String(e.data.category)}`);

describe('where a connector and a page disagree on a time, the API wins', () => {
  const created = { type: 'created' as const, id: 'zd:1', at: CREATED, category: 'open' as Cat };
  const pending = {
    type: 'status' as const,
    id: 'zd:2',
    at: at('10:02'),
    category: 'pending_customer' as Cat,
  };
  for (const seenAt of ['10:07', '10:40'])
    // within the skew, and well beyond it
    it(`keeps one status change at the tool's time when a page saw it at ${seenAt}, whichever came first`, () => {
      const pageFirst = live([
        { source: 'page', t: at('09:00'), snap: page('open') },
        { source: 'page', t: at(seenAt), snap: page('pending_customer') },
        { source: 'connector:zd', t: at(seenAt) + MIN, snap: tool([created, pending]) },
      ]);
      const apiFirst = live([
        { source: 'connector:zd', t: at('08:41'), snap: tool([created]) },
        { source: 'page', t: at('09:00'), snap: page('open') },
        { source: 'connector:zd', t: at('10:03'), snap: tool([created, pending]) },
        { source: 'page', t: at(seenAt), snap: page('pending_customer') },
      ]);
      for (const { events, flagged } of [pageFirst, apiFirst]) {
        expect(statuses(events)).toEqual(['08:40 open', '10:02 pending_customer']);
        expect(flagged.size).toBe(0);
      }
      // Replayed from the stored views, the log is the same.
      expect(statuses(replay(pageFirst.stored).events)).toEqual(statuses(pageFirst.events));
    });

  it("moves the ticket's creation, and the priority taken as of it, to the tool's time", () => {
    const { events, flagged } = live([
      // The page read the creation 6 hours off (a time zone setting): the connector still wins.
      {
        source: 'page',
        t: at('09:00'),
        snap: page('open', { createdAt: '2026-03-27T02:40:00.000Z' }),
      },
      {
        source: 'connector:zd',
        t: at('09:01'),
        snap: tool([{ type: 'status', id: 'zd:2', at: at('08:50'), category: 'open' }]),
      },
    ]);
    expect(flagged.size).toBe(0);
    expect(events.filter((e) => e.type !== 'status')).toEqual([
      { type: 'created', at: CREATED, data: {}, dedupeKey: 'created' },
      {
        type: 'priority',
        at: CREATED,
        data: { priority: 'high' },
        dedupeKey: `priority@${CREATED}`,
      },
    ]);
    expect(statuses(events)).toEqual(['08:50 open']);
  });

  it('keeps one message seen on the page and from the tool, at the tool’s time', () => {
    const reply = { author: 'agent' as const, public: true };
    const { events } = live([
      {
        source: 'page',
        t: at('09:00'),
        snap: page('open', { messages: [{ ...reply, at: '2026-03-27T08:56:00.000Z' }] }),
      },
      {
        source: 'connector:zd',
        t: at('09:01'),
        snap: tool([created, { type: 'message', id: 'c9', at: at('08:55'), ...reply }]),
      },
      {
        source: 'page',
        t: at('09:02'),
        snap: page('open', { messages: [{ ...reply, at: '2026-03-27T08:56:00.000Z' }] }),
      },
    ]);
    expect(events.filter((e) => e.type === 'message').map((e) => [e.at, e.dedupeKey])).toEqual([
      [at('08:55'), 'msg:c9'],
    ]);
  });

  it('keeps what pages saw before the connector’s history starts', () => {
    const { events } = live([
      { source: 'page', t: at('09:00'), snap: page('pending_customer') },
      { source: 'page', t: at('09:30'), snap: page('open') },
      // Connected later: its history starts at 10:02.
      { source: 'connector:zd', t: at('10:03'), snap: tool([pending]) },
      { source: 'page', t: at('10:10'), snap: page('pending_customer') },
    ]);
    expect(statuses(events)).toEqual([
      '09:00 pending_customer',
      '09:30 open',
      '10:02 pending_customer',
    ]);
  });

  it('corrects the time of a change the tool repeats, dated earlier', () => {
    // The tool first sent the ticket as it was at 10:05, then the change itself at 10:02.
    const later = { ...pending, id: 'zd:3', at: at('10:05') };
    const first = live([{ source: 'connector:zd', t: at('10:06'), snap: tool([created, later]) }]);
    expect(statuses(first.events)).toEqual(['08:40 open', '10:05 pending_customer']);
    const both = live([
      { source: 'connector:zd', t: at('10:06'), snap: tool([created, later]) },
      { source: 'connector:zd', t: at('10:07'), snap: tool([created, later, pending]) },
    ]);
    expect(statuses(both.events)).toEqual(['08:40 open', '10:02 pending_customer']);
  });

  it('gives the log of the connector alone plus what only pages saw, for any interleaving', () => {
    const CATS: Cat[] = ['open', 'pending_customer', 'on_hold', 'solved'];
    const scenario = fc.record({
      // Minutes between changes, the category each moves to, and how late each is delivered.
      steps: fc.array(
        fc.record({
          gap: fc.integer({ min: 1, max: 90 }),
          to: fc.integer({ min: 0, max: 3 }),
          lag: fc.integer({ min: 0, max: 120 }),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      // How many of the first changes (and the creation) the connector never reported.
      missed: fc.integer({ min: 0, max: 3 }),
      pageViews: fc.array(fc.integer({ min: 0, max: 600 }), { maxLength: 8 }),
      createdLag: fc.integer({ min: 0, max: 30 }),
    });
    fc.assert(
      fc.property(scenario, ({ steps, missed, pageViews, createdLag }) => {
        // The true history: a category at each instant, no change to the same category.
        const history: { at: number; category: Cat }[] = [{ at: CREATED, category: 'new' }];
        for (const s of steps) {
          const prev = history.at(-1)!;
          const next = CATS.filter((c) => c !== prev.category)[s.to % 3]!;
          history.push({ at: prev.at + s.gap * MIN, category: next });
        }
        const inEffect = (t: number) => history.filter((h) => h.at <= t).at(-1)!.category;
        const reported = [
          {
            type: 'created' as const,
            id: 'c',
            at: CREATED,
            category: 'new' as Cat,
            lag: createdLag,
          },
          ...history.slice(1).map((h, i) => ({
            type: 'status' as const,
            id: `s${i}`,
            at: h.at,
            category: h.category,
            lag: steps[i]!.lag,
          })),
        ].slice(missed);
        type Arrival = { source: string; t: number; snap: () => TicketSnapshot };
        const apiViews: Arrival[] = reported.map((c, i) => ({
          source: 'connector:zd',
          t: c.at + c.lag * MIN,
          // The connector's picture holds what was delivered before (in delivery order).
          snap: () =>
            tool(
              reported
                .filter(
                  (d, j) =>
                    d.at + d.lag * MIN < c.at + c.lag * MIN ||
                    (d.at + d.lag * MIN === c.at + c.lag * MIN && j <= i),
                )
                .sort((a, b) => a.at - b.at),
            ),
        }));
        const pageViewsAt: Arrival[] = pageViews.map((m) => ({
          source: 'page',
          t: CREATED + m * MIN,
          snap: () => page(inEffect(CREATED + m * MIN)),
        }));
        const run = (arrivals: Arrival[]) =>
          live(
            [...arrivals]
              .sort((a, b) => a.t - b.t)
              .map((a) => ({ source: a.source, t: a.t, snap: a.snap() })),
          );
        const together = run([...pageViewsAt, ...apiViews]);
        expect(together.flagged.size).toBe(0);
        const apiAlone = run(apiViews).events;
        const pagesAlone = run(pageViewsAt).events;
        const start = (type: string) =>
          Math.min(...apiAlone.filter((e) => e.type === type && e.data.api).map((e) => e.at));
        const expected = new Map(apiAlone.map((e) => [e.dedupeKey, e]));
        // What only pages saw: all but the status changes from where the connector's start.
        for (const e of pagesAlone)
          if (
            !expected.has(e.dedupeKey) &&
            !(e.type === 'status' && e.at >= start('status') - SOURCE_SKEW_MS) &&
            !(e.type === 'priority' && e.at >= start('priority') - SOURCE_SKEW_MS)
          )
            expected.set(e.dedupeKey, e);
        const byKey = (events: LogEvent[]) =>
          [...events].sort((a, b) => a.dedupeKey.localeCompare(b.dedupeKey));
        expect(byKey(together.events)).toEqual(byKey([...expected.values()]));
      }),
      { numRuns: 300 },
    );
  });
});
