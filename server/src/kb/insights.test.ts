import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshot, testEnv } from '../testing.js';
import { clusterGaps, median, type GapTicket } from './insights.js';
import { words } from './query.js';

const HOUR = 3_600_000;

describe('clusterGaps', () => {
  const gap = (ticketId: string, subject: string, at: number): GapTicket => ({
    ticketId,
    subject,
    url: `https://desk.test/${ticketId}`,
    terms: words(subject),
    reason: 'no_article',
    bestCoverage: null,
    at,
  });

  it('groups tickets by their distinctive terms, not by the words every ticket has', () => {
    const items = [
      gap('1', 'printer toner empty', 1),
      gap('2', 'Toner for printers not working', 2),
      gap('3', 'printer toner order', 3),
      gap('4', 'parking permit not working', 4),
      gap('5', 'visitor parking permit', 5),
      gap('6', 'laptop not working', 6),
    ];
    // Among the last 100 tickets searched, "not working" is everywhere, "toner" rare.
    const df = new Map(
      Object.entries({ not: 40, work: 40, laptop: 5, printer: 6, toner: 4, order: 8 }),
    );
    for (const w of ['empti', 'park', 'permit', 'visitor']) df.set(w, 3);
    const clusters = clusterGaps(items, df, 100);
    expect(clusters.map((c) => [c.tickets, c.examples.map((e) => e.ticketId)])).toEqual([
      [3, ['3', '2', '1']],
      [2, ['5', '4']],
      [1, ['6']],
    ]);
    expect(new Set(clusters[0]!.label.slice(0, 2))).toEqual(new Set(['toner', 'printer']));
    expect(clusters[1]!.label.slice(0, 2)).toEqual(expect.arrayContaining(['parking', 'permit']));
    expect(clusters[0]!.lastAt).toBe(3);
  });

  it('lets a ticket seen before its topic recurred join the topic afterwards', () => {
    const df = new Map(Object.entries({ printer: 5, toner: 4 }));
    const clusters = clusterGaps(
      [
        // Newest first: the cartridge ticket is clustered before the others agree on a topic.
        gap('1', 'Toner cartridge for the office printer', 3),
        gap('2', 'Printer toner low warning', 2),
        gap('3', 'Order toner for the printer', 1),
      ],
      df,
      60,
    );
    expect(clusters.map((c) => [c.tickets, c.examples.map((e) => e.ticketId)])).toEqual([
      [3, ['1', '2', '3']],
    ]);
    expect(clusters[0]!.label.slice(0, 2)).toEqual(['toner', 'printer']);
  });

  it('median of an even and odd count, and none', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('KB effectiveness and gaps', () => {
  let env: Awaited<ReturnType<typeof testEnv>>;
  beforeEach(async () => {
    env = await testEnv();
  });
  afterEach(() => env.close());

  const article = (title: string, body: string) => ({
    name: `${title}.md`,
    base64: Buffer.from(`# ${title}\n\n${body}`).toString('base64'),
  });

  async function setUp() {
    const admin = await env.as(env.a.users.admin.email);
    await admin.kb.import({
      source: 'help',
      files: [
        article('Reset your password', 'Choose Forgot password on the sign-in page.'),
        article('Download an invoice as PDF', 'Invoices are under Billing, History.'),
        article('Connect to the VPN', 'Install the VPN client and sign in.'),
      ],
    });
    const agent = await env.as(env.a.users.agent.email, 'token');
    const manager = await env.as(env.a.users.manager.email);
    const byTitle = async (q: string) => (await agent.kb.search({ q }))[0]!;
    let n = 0;
    /** A ticket created now, suggested for, then resolved `hours` later. */
    const ticket = async (subject: string) => {
      n++;
      env.clock.advance(60_000);
      const createdAt = new Date(env.clock()).toISOString();
      const snap = snapshot({
        externalId: `t${n}`,
        url: `http://127.0.0.1:8787/demo/tickets/${n}`,
        subject,
        createdAt,
        // The customer's first message, when the ticket was created (the server refuses a
        // message from before its ticket).
        messages: [{ author: 'customer', public: true, at: createdAt, externalId: 'm1' }],
      });
      const { ticket } = await agent.tickets.observe({ snapshot: snap });
      await agent.kb.suggest({ ticketId: ticket.id, subject, message: '' });
      return {
        id: ticket.id,
        status: async (statusCategory: 'solved' | 'open', afterHours: number) => {
          env.clock.advance(afterHours * HOUR);
          await agent.tickets.observe({
            snapshot: { ...snap, statusCategory, status: statusCategory },
          });
          env.clock.advance(-afterHours * HOUR);
        },
      };
    };
    return { agent, manager, byTitle, ticket };
  }

  it('gives link and helpful rates, resolution with and without an article, reopens and top articles', async () => {
    const { agent, manager, byTitle, ticket } = await setUp();
    const reset = await byTitle('password');
    const invoice = await byTitle('invoice');
    // Two tickets answered with the reset article in 1 h and 3 h; one of them reopened.
    const t1 = await ticket('Forgot my password');
    await agent.kb.link({ ticketId: t1.id, articleId: reset.id });
    await agent.kb.record({ ticketId: t1.id, articleId: reset.id, kind: 'helpful' });
    await t1.status('solved', 1);
    const t2 = await ticket('Password reset email missing');
    await agent.kb.link({ ticketId: t2.id, articleId: reset.id });
    await t2.status('solved', 3);
    await t2.status('open', 5);
    // Two without: 8 h and 10 h; the invoice article was not relevant to one.
    const t3 = await ticket('Invoice address wrong');
    await agent.kb.record({ ticketId: t3.id, articleId: invoice.id, kind: 'not_relevant' });
    await t3.status('solved', 8);
    const t4 = await ticket('VPN slow at home');
    await t4.status('solved', 10);
    env.clock.advance(12 * HOUR);

    const e = await manager.kb.effectiveness({ days: 7 });
    expect(e.current.counts).toMatchObject({
      ticketsShown: 4,
      linked: 2,
      ticketsLinked: 2,
      helpful: 1,
      notRelevant: 1,
    });
    expect(e.current.linkRate).toBe(0.5);
    expect(e.current.helpfulRate).toBe(0.5);
    expect(e.current.resolved).toEqual({
      withArticle: 2,
      without: 2,
      medianMsWithArticle: 2 * HOUR,
      medianMsWithout: 9 * HOUR,
      reopenRateWithArticle: 0.5,
      reopenRateWithout: 0,
    });
    expect(e.previous.counts.ticketsShown).toBe(0);
    expect(e.previous.linkRate).toBeNull();
    expect(e.topArticles[0]).toMatchObject({ id: reset.id, linked: 2, helpful: 1 });
    expect(e.mostNotRelevant.map((a) => [a.id, a.notRelevant])).toEqual([[invoice.id, 1]]);

    // A week later, all of it is the previous period.
    env.clock.advance(7 * 24 * HOUR);
    const later = await manager.kb.effectiveness({ days: 7 });
    expect(later.current.counts.ticketsShown).toBe(0);
    expect(later.previous.resolved.medianMsWithout).toBe(9 * HOUR);

    // Another workspace sees none of it; agents cannot read it; bad input is refused.
    const managerB = await env.as(env.b.users.manager.email);
    const b = await managerB.kb.effectiveness({ days: 30 });
    expect(b.current.counts.shown + b.previous.counts.shown).toBe(0);
    expect(b.topArticles).toEqual([]);
    await expect(agent.kb.effectiveness({ days: 7 })).rejects.toThrow(/manager/i);
    await expect(manager.kb.effectiveness({ days: 0 })).rejects.toThrow();
  });

  it('counts suggestions shown once per viewing of a ticket, not per reload', async () => {
    const { agent, manager, ticket } = await setUp();
    const t = await ticket('Forgot my password'); // suggested once on creation
    for (let i = 0; i < 3; i++)
      await agent.kb.suggest({ ticketId: t.id, subject: 'Forgot my password', message: `m${i}` });
    const shown = async () => (await manager.kb.effectiveness({ days: 1 })).current.counts.shown;
    expect(await shown()).toBe(1);
    // Looked at again after an hour and a half: a new viewing.
    env.clock.advance(90 * 60_000);
    await agent.kb.suggest({ ticketId: t.id, subject: 'Forgot my password', message: '' });
    expect(await shown()).toBe(2);
  });

  it('reports tickets with no good article, grouped by topic, leaving answered ones out', async () => {
    const { agent, manager, byTitle, ticket } = await setUp();
    // Most tickets are answered: they are the background against which a topic stands out.
    const reset = await byTitle('password');
    for (const subject of [
      'Password expired',
      'Cannot sign in after reset',
      'Reset link not working',
      'Locked out of my account',
      'Password rules too strict',
      'Forgot password on mobile',
      'Sign-in page keeps reloading',
      'New password not accepted',
      'Account locked after update',
      'Password change not working',
      'Reset email goes to spam',
      'Login fails since this morning',
    ]) {
      const t = await ticket(subject);
      await agent.kb.link({ ticketId: t.id, articleId: reset.id });
    }
    // No article on printers or parking.
    await ticket('Printer toner empty');
    await ticket('Toner for the printer on floor 2');
    await ticket('Parking permit for visitors');
    // The VPN article was rated not relevant to this one.
    const vpn = await ticket('VPN certificate expired');
    await agent.kb.record({
      ticketId: vpn.id,
      articleId: (await byTitle('vpn')).id,
      kind: 'not_relevant',
    });
    // Answered: a link, or a helpful rating.
    const answered = await ticket('Printer toner low');
    await agent.kb.link({ ticketId: answered.id, articleId: (await byTitle('password')).id });
    const good = await ticket('Reset password');
    await agent.kb.record({
      ticketId: good.id,
      articleId: (await byTitle('password')).id,
      kind: 'helpful',
    });
    // Found nothing useful: the best article holds one of the subject's four terms.
    await ticket('Toner cartridge for the invoice printer');

    const g = await manager.kb.gaps({ days: 30 });
    expect(g.ticketsSearched).toBe(19);
    expect(g.gapTickets).toBe(5);
    const printer = g.clusters[0]!;
    expect(printer.tickets).toBe(3);
    expect(printer.label).toEqual(expect.arrayContaining(['printer']));
    expect(printer.reasons).toEqual({ no_article: 2, weak_match: 1, not_relevant: 0 });
    expect(printer.examples.map((x) => x.subject)).toEqual([
      'Toner cartridge for the invoice printer',
      'Toner for the printer on floor 2',
      'Printer toner empty',
    ]);
    const rest = g.clusters.slice(1).map((c) => [c.tickets, c.examples[0]!.subject]);
    expect(rest).toEqual(
      expect.arrayContaining([
        [1, 'Parking permit for visitors'],
        [1, 'VPN certificate expired'],
      ]),
    );
    expect(g.clusters.find((c) => c.examples[0]!.subject.startsWith('VPN'))!.reasons).toEqual({
      no_article: 0,
      weak_match: 0,
      not_relevant: 1,
    });

    // Older than the window: left out. Other workspaces: see nothing.
    env.clock.advance(31 * 24 * HOUR);
    expect((await manager.kb.gaps({ days: 30 })).gapTickets).toBe(0);
    const managerB = await env.as(env.b.users.manager.email);
    expect((await managerB.kb.gaps({ days: 365 })).ticketsSearched).toBe(0);
    await expect(manager.kb.gaps({ days: 30, minCoverage: 2 })).rejects.toThrow();
  });
});
