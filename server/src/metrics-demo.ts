import type { TicketSnapshot } from '@deskwatch/shared';
import type { Services } from './trpc.js';

// A month of the demo desk's tickets for the manager's glance (issue #18), recorded the way real
// ones are: each is one page view (its conversation and status history) observed through
// `tickets.observe`, so the event log, the SLA engine and the metrics see exactly what they
// would of a real desk. Generated from a fixed seed: every fresh demo shows the same month.

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const AGENTS = ['Alex Agent', 'Sam Support', 'Kim Lee', null] as const;
const TOPICS: [subject: string, tag: string][] = [
  ['VPN drops every few minutes', 'vpn'],
  ['Cannot reach the VPN gateway', 'vpn'],
  ['Printer queue stuck', 'printing'],
  ['Badge printer not recognising card', 'printing'],
  ['Password reset link expired', 'sign-in'],
  ['Locked out after too many attempts', 'sign-in'],
  ['Invoice shows the wrong VAT number', 'billing'],
  ['Charged twice this month', 'billing'],
  ['Shared mailbox missing in Outlook', 'email'],
  ['Calendar invites not arriving', 'email'],
];
const PRIORITY_WEIGHTS: [TicketSnapshot['priority'], number][] = [
  ['urgent', 0.05],
  ['high', 0.2],
  ['normal', 0.6],
  ['low', 0.15],
];
const STATUS_OF = {
  new: 'New',
  open: 'Open',
  pending_customer: 'Pending',
  solved: 'Solved',
} as const;

/** Seeds the month into `workspaceId` (a fresh demo); returns how many tickets it observed. */
export async function seedDemoMetricsHistory(
  services: Services,
  workspaceId: string,
  baseUrl: string,
): Promise<number> {
  const now = services.now();
  let seed = 18;
  const rand = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const priority = () => {
    let r = rand();
    for (const [p, w] of PRIORITY_WEIGHTS) if ((r -= w) < 0) return p;
    return 'normal';
  };
  const iso = (t: number) => new Date(t).toISOString();
  let n = 0;
  const dayStart = now - (now % DAY);
  for (let d = 30; d >= 0; d--) {
    const day = dayStart - d * DAY;
    const weekend = [0, 6].includes(new Date(day).getUTCDay());
    // Volume creeps up over the month, as the managers describe it.
    const count = weekend ? 1 + Math.floor(rand() * 3) : 6 + Math.floor(rand() * 6 + (30 - d) / 6);
    for (let i = 0; i < count; i++) {
      const created = day + 7 * HOUR + Math.floor(rand() * 10 * HOUR);
      if (created >= now - 5 * MIN) continue;
      n++;
      const [subject, tag] = pick(TOPICS);
      const p = priority();
      const snap = history(created, now, p, rand);
      await services.tickets.observe(workspaceId, {
        source: 'demo-desk',
        externalId: `M-${n}`,
        url: `${baseUrl}/demo#metrics-${n}`,
        subject,
        status: STATUS_OF[snap.category],
        statusCategory: snap.category,
        priority: p,
        requester: `customer${n % 17}@example.com`,
        assignee: pick(AGENTS),
        requesterOrg: null,
        tags: [tag],
        createdAt: iso(created),
        messages: snap.messages.map((m, j) => ({ ...m, at: iso(m.at), externalId: `m${j}` })),
        statusChanges: snap.statuses.map((s, j) => ({
          externalId: `s${j}`,
          at: iso(s.at),
          status: STATUS_OF[s.category],
          statusCategory: s.category,
        })),
        statusHistoryComplete: true,
        priorityChanges: [],
      });
    }
  }
  // Derived now, as part of the seed: the demo opens on a glance with the whole month counted.
  await services.metrics.rollups.catchUp(workspaceId);
  return n;
}

type Category = keyof typeof STATUS_OF;

/**
 * One ticket's life up to `now`: the customer writes, an agent answers after minutes to hours
 * (urgent sooner), sometimes waits on the customer, solves it within hours to days, and now and
 * then the customer reopens it.
 */
function history(created: number, now: number, p: TicketSnapshot['priority'], rand: () => number) {
  const speed = p === 'urgent' ? 0.2 : p === 'high' ? 0.5 : p === 'low' ? 1.5 : 1;
  const messages: { author: 'agent' | 'customer'; public: boolean; at: number }[] = [
    { author: 'customer', public: true, at: created },
  ];
  const statuses: { at: number; category: Category }[] = [{ at: created, category: 'new' }];
  const step = (at: number, category: Category) => {
    if (at < now) statuses.push({ at, category });
    return at < now;
  };
  // First answer: mostly within the hour, a tail of several hours.
  let t = created + Math.floor((5 + rand() ** 3 * 400) * speed * MIN);
  if (t >= now) return { messages, statuses, category: 'new' as Category };
  messages.push({ author: 'agent', public: true, at: t });
  step(t, 'open');
  if (rand() < 0.3) {
    step(t + MIN, 'pending_customer');
    t += Math.floor((1 + rand() * 20) * HOUR);
    if (t < now) {
      messages.push({ author: 'customer', public: true, at: t });
      step(t, 'open');
      t += Math.floor((10 + rand() * 120) * speed * MIN);
      if (t < now) messages.push({ author: 'agent', public: true, at: t });
    }
  }
  t += Math.floor((0.5 + rand() ** 2 * 40) * speed * HOUR);
  if (step(t, 'solved') && rand() < 0.08) {
    t += Math.floor((2 + rand() * 48) * HOUR);
    if (t < now) {
      messages.push({ author: 'customer', public: true, at: t });
      step(t, 'open');
      t += Math.floor((1 + rand() * 8) * HOUR);
      step(t, 'solved');
    }
  }
  return {
    messages: messages.filter((m) => m.at < now),
    statuses,
    category: statuses.at(-1)!.category,
  };
}
