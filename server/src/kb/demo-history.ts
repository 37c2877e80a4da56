import { and, eq, inArray } from 'drizzle-orm';
import { newId } from '../crypto.js';
import type { Db } from '../db/client.js';
import { kbArticles, kbEvents, kbLinks, kbQueries, tickets, ticketEvents } from '../db/schema.js';
import { subjectTerms } from './query.js';

// A month of the demo desk's past, so the knowledge-base insights of a fresh demo show what they
// are for: tickets agents answered with an article (or without one), ratings, reopens, and a
// few recurring questions the knowledge base has no article for. These tickets exist only as
// Deskwatch's record (source "demo-history"): resolved, with no running clock, so they raise no
// alert and put no badge anywhere.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Questions the demo knowledge base answers: the subject, and the article an agent used. */
const ANSWERED: [subject: string, article: string][] = [
  ['Forgot my password', 'sign-in/reset-password'],
  ['Started today, how do I get in', 'sign-in/new-starter-first-login'],
  ['Verification text takes ages', 'two-factor/sms-codes-late'],
  ["GlobalProtect can't reach gateway", 'vpn/vpn-cannot-connect'],
  ['Internet for a visitor', 'wifi-network/guest-wifi'],
  ['Work mail on my phone', 'email/mobile-mail'],
  ['Let my assistant manage my calendar', 'email/calendar-sharing'],
  ["Printer doesn't recognise my card", 'printing/badge-printer'],
  ['OneDrive red cross, files not updating', 'files/onedrive-sync'],
  ['Wrong tax ID on our invoices', 'billing/invoice-vat-number'],
  ['Bank asks to confirm card payment', 'payments/sca-3ds'],
  ['Send back an order', 'refunds/return-item'],
  ['Invite link not working', 'users/invitation-expired'],
  ['Salesforce data stopped updating', 'integrations/salesforce-sync'],
  ['Dates swapped after import', 'data-import/import-dates'],
  ['How long does shipping take', 'shipping/delivery-times'],
];

/**
 * Recurring questions with no article yet, what the gap report should bring up: the best
 * suggestion was about something else (an article that shares one word) or there was none.
 */
const UNANSWERED: [subject: string, weakMatch: string | null][] = [
  ['Printer toner empty on floor 3', 'printing/badge-printer'],
  ['Order toner for the printer', 'printing/badge-printer'],
  ['Toner cartridge for the office printer', 'printing/badge-printer'],
  ['Printer toner low warning', 'printing/badge-printer'],
  ['Parking permit for visitors', null],
  ['Visitor parking permit expired', null],
  ['Where do I get a parking permit', null],
  ['Company credit card declined abroad', 'payments/sca-3ds'],
  ['Credit card limit for travel', 'payments/sca-3ds'],
];

/** Seeds the history into the demo workspace once; false when it is there already. */
export async function seedDemoHistory(db: Db, workspaceId: string, now: number): Promise<boolean> {
  const there = await db.query.tickets.findFirst({
    where: and(eq(tickets.workspaceId, workspaceId), eq(tickets.source, 'demo-history')),
  });
  if (there) return false;
  const articles = new Map(
    (
      await db
        .select({ id: kbArticles.id, key: kbArticles.sourceKey })
        .from(kbArticles)
        .where(
          and(
            eq(kbArticles.workspaceId, workspaceId),
            eq(kbArticles.source, 'demo'),
            inArray(kbArticles.sourceKey, [
              ...ANSWERED.map(([, a]) => a),
              ...UNANSWERED.flatMap(([, a]) => (a ? [a] : [])),
            ]),
          ),
        )
    ).map((a) => [a.key, a.id]),
  );
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  let n = 0;
  await db.transaction(async (tx) => {
    const ticket = async (subject: string, createdAt: number) => {
      const id = newId();
      n++;
      await tx.insert(tickets).values({
        id,
        workspaceId,
        source: 'demo-history',
        externalId: `h${n}`,
        url: `/demo#history-${n}`,
        subject,
        status: 'Solved',
        category: 'solved',
        priority: 'normal',
        requester: 'customer@example.com',
        createdAt,
        firstSeenAt: createdAt,
        lastSeenAt: createdAt,
      });
      return id;
    };
    const status = (ticketId: string, at: number, category: string) =>
      tx.insert(ticketEvents).values({
        id: newId(),
        ticketId,
        workspaceId,
        type: 'status',
        at,
        data: JSON.stringify({ category }),
        dedupeKey: `history@${at}:${category}`,
        recordedAt: at,
      });
    const event = (
      ticketId: string,
      articleId: string,
      kind: (typeof kbEvents.$inferInsert)['kind'],
      at: number,
    ) => tx.insert(kbEvents).values({ id: newId(), workspaceId, articleId, ticketId, kind, at });
    const query = (
      ticketId: string,
      subject: string,
      at: number,
      best: string | null,
      coverage: number,
    ) =>
      tx.insert(kbQueries).values({
        ticketId,
        workspaceId,
        terms: subjectTerms(subject).join(' '),
        bestArticleId: best,
        bestScore: best ? Number((4 + 8 * coverage).toFixed(2)) : null,
        bestCoverage: best ? coverage : null,
        at,
      });

    // Each answerable question came in three times over the month; agents used the article on
    // two of them, and tickets answered with it were resolved sooner and reopened less.
    for (let round = 0; round < 3; round++)
      for (const [subject, key] of ANSWERED) {
        const articleId = articles.get(key);
        if (!articleId) continue;
        const created = now - Math.floor((1 + rand() * 27) * DAY);
        const id = await ticket(subject, created);
        const seen = created + 10 * 60_000;
        await query(id, subject, seen, articleId, 1);
        await event(id, articleId, 'shown', seen);
        const used = round < 2;
        if (used) {
          await event(id, articleId, 'opened', seen + 60_000);
          await event(id, articleId, rand() < 0.6 ? 'inserted' : 'copied', seen + 120_000);
          await tx
            .insert(kbLinks)
            .values({ workspaceId, ticketId: id, articleId, at: seen + 180_000 });
          await event(id, articleId, 'linked', seen + 180_000);
          if (rand() < 0.5) await event(id, articleId, 'helpful', seen + 200_000);
        } else if (rand() < 0.4) await event(id, articleId, 'not_relevant', seen + 60_000);
        const solved = created + Math.floor((used ? 1 + rand() * 5 : 4 + rand() * 20) * HOUR);
        await status(id, solved, 'solved');
        if (rand() < (used ? 0.08 : 0.25)) {
          await status(id, solved + 20 * HOUR, 'open');
          await status(id, solved + 26 * HOUR, 'solved');
        }
      }
    for (const [subject, weak] of UNANSWERED) {
      const created = now - Math.floor((1 + rand() * 20) * DAY);
      const id = await ticket(subject, created);
      const best = weak ? (articles.get(weak) ?? null) : null;
      await query(id, subject, created + 5 * 60_000, best, 0.25);
      if (best) await event(id, best, 'shown', created + 5 * 60_000);
      await status(id, created + Math.floor((6 + rand() * 30) * HOUR), 'solved');
    }
  });
  return true;
}
