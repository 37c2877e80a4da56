import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import { adapterSpec, type AdapterSpecInput } from '@deskwatch/shared';
import { dataAdapter } from './engine';
import { redmine } from './redmine';

// The engine asks `root instanceof Element` for a bare `@attr`; linkedom's DOM stands in for a page's.
beforeAll(() => {
  const { Element } = parseHTML('<html></html>');
  (globalThis as { Element?: unknown }).Element ??= Element;
});

const page = (body: string) =>
  parseHTML(`<!doctype html><html><body>${body}</body></html>`).document as unknown as Document;
const MIN = 60_000;

/** A tool with a history list in German, dates as ISO attributes. */
const spec = (
  history: Partial<NonNullable<AdapterSpecInput['history']>> = {},
): AdapterSpecInput => ({
  id: 'tafel',
  name: 'Tafel',
  urlPattern: 'https://tafel.example/t/:id',
  examples: { ticket: ['https://tafel.example/t/1'] },
  selectors: {
    subject: 'h1',
    status: '.status',
    priority: '.prio',
    requester: '.who',
    created: 'time.created @datetime',
  },
  history: {
    item: '.log .entry',
    id: '@data-id',
    time: 'time @datetime',
    change: 'li',
    field: 'b',
    to: '.to',
    from: '.from',
    names: { status: ['Status'], priority: ['Priorität'], assignee: ['Zugewiesen an'] },
    ...history,
  },
  values: {
    status: { neu: 'new', offen: 'open', wartend: 'pending_customer', erledigt: 'solved' },
    priority: { normal: 'normal', hoch: 'high' },
  },
});

const ticket = `
  <h1>Drucker</h1><span class="status">Erledigt</span><span class="prio">Hoch</span><span class="who">Kim</span>
  <time class="created" datetime="2026-11-30T09:00:00Z"></time>
  <div class="log">
    <div class="entry" data-id="e2"><time datetime="2026-11-30T11:00:00Z"></time><ul>
      <li><b>STATUS</b> <span class="from">Wartend</span> → <span class="to">Erledigt</span></li>
    </ul></div>
    <div class="entry" data-id="e1"><time datetime="2026-11-30T10:00:00Z"></time><ul>
      <li><b>status:</b> <span class="from">Neu</span> → <span class="to">Wartend</span></li>
      <li><b>Priorität</b> <span class="from">Normal</span> → <span class="to">Hoch</span></li>
      <li><b>Zugewiesen an</b> <span class="to">Jo</span></li>
      <li><b>Kategorie</b> <span class="from">A</span> → <span class="to">B</span></li>
    </ul></div>
  </div>`;
const url = new URL('https://tafel.example/t/1');

describe('history lists', () => {
  it('rebuild the status and priority history from creation, oldest first, field names in any case', () => {
    const r = dataAdapter(adapterSpec.parse(spec())).read(page(ticket), url);
    if (!r || !('snapshot' in r)) throw new Error(`not read: ${JSON.stringify(r)}`);
    expect(r.snapshot.statusChanges).toEqual([
      { at: '2026-11-30T09:00:00.000Z', status: 'Neu', statusCategory: 'new' },
      {
        at: '2026-11-30T10:00:00.000Z',
        status: 'Wartend',
        statusCategory: 'pending_customer',
        externalId: 'e1:status',
      },
      {
        at: '2026-11-30T11:00:00.000Z',
        status: 'Erledigt',
        statusCategory: 'solved',
        externalId: 'e2:status',
      },
    ]);
    expect(r.snapshot.priorityChanges).toEqual([
      { at: '2026-11-30T09:00:00.000Z', priority: 'normal' },
      { at: '2026-11-30T10:00:00.000Z', priority: 'high', externalId: 'e1:priority' },
    ]);
    expect(r.snapshot.statusHistoryComplete).toBe(true);
  });

  it('take the current status as the status at creation when nothing changed', () => {
    const quiet = ticket.replace(
      /<div class="log">[\s\S]*<\/div>\s*<\/div>/,
      '<div class="log"></div>',
    );
    const r = dataAdapter(adapterSpec.parse(spec())).read(page(quiet), url);
    if (!r || !('snapshot' in r)) throw new Error('not read');
    expect(r.snapshot.statusChanges).toEqual([
      { at: '2026-11-30T09:00:00.000Z', status: 'Erledigt', statusCategory: 'solved' },
    ]);
    expect(r.snapshot.statusHistoryComplete).toBe(true);
  });

  it('say the status history is incomplete when the list does not go back to creation', () => {
    const r = dataAdapter(adapterSpec.parse(spec({ fromCreation: false }))).read(page(ticket), url);
    if (!r || !('snapshot' in r)) throw new Error('not read');
    expect(r.snapshot.statusHistoryComplete).toBe(false);
    expect(r.snapshot.statusChanges!.map((c) => c.externalId)).toEqual(['e1:status', 'e2:status']);
  });
});

/** Redmine 5's issue page, trimmed to what the adapter reads (markup as in tests/redmine). */
const redmineIssue = (lang: { status: string; priority: string }) => `
  <div class="issue details">
    <div class="subject"><div><h3>Printer on fire</h3></div></div>
    <p class="author">Added by <a class="user active" href="/users/7">Kim Customer</a>
      <a title="11/30/2026 09:00 AM" href="/activity">about 5 hours</a> ago.</p>
    <div class="attributes">
      <div class="status attribute"><div class="value">Closed</div></div>
      <div class="priority attribute"><div class="value">Urgent</div></div>
    </div>
    <div class="description"><div class="wiki"><p>It smokes.</p></div></div>
  </div>
  <div id="history">
    <div id="change-11" class="journal has-notes">
      <h4 class="note-header"><a class="user active" href="/users/3">Alice Agent</a>
        <a title="11/30/2026 09:10 AM" href="/activity">about 5 hours</a></h4>
      <ul class="details">
        <li><strong>${lang.status}</strong> changed from <i>New</i> to <i>In Progress</i></li>
        <li><strong>${lang.priority}</strong> changed from <i>Normal</i> to <i>Urgent</i></li>
      </ul>
      <div class="wiki"><p>On it.</p></div>
    </div>
    <div id="change-12" class="journal">
      <h4 class="note-header"><a class="user active" href="/users/3">Alice Agent</a>
        <a title="11/30/2026 01:00 PM" href="/activity">about 1 hour</a></h4>
      <ul class="details"><li><strong>${lang.status}</strong> changed from <i>In Progress</i> to <i>Closed</i></li></ul>
    </div>
  </div>`;
const redmineUrl = new URL('http://127.0.0.1:8490/issues/5');
// The page as read at 14:00 in a profile zone of UTC: "about 5 hours" after 09:00 holds.
const redmineClock = { timeZone: 'UTC', now: Date.parse('2026-11-30T14:00:00Z') };

describe('Redmine, as data', () => {
  for (const lang of [
    { status: 'Status', priority: 'Priority' },
    { status: 'Status', priority: 'Priorität' }, // German
    { status: 'Statut', priority: 'Priorité' }, // French
  ])
    it(`reads journals as messages and their details as history (${lang.priority})`, () => {
      const doc = page(redmineIssue(lang));
      doc.body.className = 'controller-issues action-show';
      const r = redmine.read(doc, redmineUrl, undefined, redmineClock);
      if (!r || !('snapshot' in r)) throw new Error(`not read: ${JSON.stringify(r)}`);
      const s = r.snapshot;
      const created = Date.parse(s.createdAt);
      expect(
        s.statusChanges!.map((c) => [Date.parse(c.at) - created, c.statusCategory, c.externalId]),
      ).toEqual([
        [0, 'new', undefined],
        [10 * MIN, 'open', 'change-11:status'],
        [240 * MIN, 'closed', 'change-12:status'],
      ]);
      expect(s.priorityChanges!.map((c) => [Date.parse(c.at) - created, c.priority])).toEqual([
        [0, 'normal'],
        [10 * MIN, 'urgent'],
      ]);
      expect(s.statusHistoryComplete).toBe(true);
      expect(s.messages).toEqual([
        {
          externalId: 'change-11',
          author: 'agent',
          public: true,
          at: new Date(created + 10 * MIN).toISOString(),
        },
      ]);
      expect(s).toMatchObject({
        externalId: '5',
        requester: 'Kim Customer',
        subject: 'Printer on fire',
      });
      // No note by the author: the description is what the customer last asked.
      expect(r.latestCustomerMessage).toBe('It smokes.');
    });

  it('says it is waiting while the history list is not on the page, and not once it is', () => {
    const full = page(redmineIssue({ status: 'Status', priority: 'Priority' }));
    full.body.className = 'controller-issues action-show';
    expect(redmine.read(full, redmineUrl, undefined, redmineClock)).not.toHaveProperty('waiting');
    full.getElementById('history')!.remove();
    expect(redmine.read(full, redmineUrl, undefined, redmineClock)).toMatchObject({
      waiting: true,
    });
  });

  it('reads nothing on an /issues/N page that is not an issue page', () => {
    expect(
      redmine.read(
        page(redmineIssue({ status: 'Status', priority: 'Priority' })),
        redmineUrl,
        undefined,
        redmineClock,
      ),
    ).toBeNull();
  });
});

describe('a history list the page always shows (`list`)', () => {
  const withList = dataAdapter(adapterSpec.parse(spec({ list: '.log' })));
  const noChanges = ticket.replace(
    /<div class="log">[\s\S]*<\/div>\s*$/,
    '<div class="log"></div>',
  );

  it('shown empty: nothing changed since creation, the history is complete, nothing to wait for', () => {
    const r = withList.read(page(noChanges), url);
    if (!r || !('snapshot' in r)) throw new Error(`not read: ${JSON.stringify(r)}`);
    expect(r).not.toHaveProperty('waiting');
    expect(r.snapshot.statusChanges).toEqual([
      { at: '2026-11-30T09:00:00.000Z', status: 'Erledigt', statusCategory: 'solved' },
    ]);
    expect(r.snapshot.statusHistoryComplete).toBe(true);
  });

  it('missing: the page shows no history, so none is claimed and the overlay waits for it', () => {
    const r = withList.read(page(ticket.replace(/<div class="log">[\s\S]*$/, '')), url);
    if (!r || !('snapshot' in r)) throw new Error(`not read: ${JSON.stringify(r)}`);
    expect(r).toMatchObject({ waiting: true });
    expect(r.snapshot).not.toHaveProperty('statusChanges');
    expect(r.snapshot).not.toHaveProperty('statusHistoryComplete');
  });
});
