/**
 * The isolation matrix: every procedure of the router, called by every kind of caller of
 * workspace Alpha with Beta's ids. Procedures are read off the router, so a new one is covered
 * (or the suite fails until it has an input); no answer may carry Beta's data and none of
 * Beta's rows may change.
 */
import { DEFAULT_RED_FLAG_RULES, defaultPolicy } from '@deskwatch/shared';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ZodError, type z } from 'zod';
import { appRouter } from './routers/index.js';
import { testEnv } from './testing.js';
import {
  callPath,
  firstEvent,
  offlinePush,
  populate,
  proceduresOf,
  OFFLINE_PUSH_HOST,
  pushSubscriptionFor,
  raiseAlerts,
  rowsHolding,
  tableNames,
  type Env,
  type Fixture,
  type TestCaller,
} from './testing-procedures.js';
import { exampleOf } from './zod-arbitrary.js';

/** Field names that carry a reference to another row, and a workspace's values for them. */
const ID_FIELDS: Record<string, (f: Fixture) => unknown[]> = {
  ticketId: (f) => [f.ticketId],
  escalationId: (f) => [f.escalationId],
  alertId: (f) => f.alertIds,
  tokenId: (f) => f.tokenIds,
  userId: (f) => f.userIds,
  sourceKey: (f) => f.sourceKeys,
  articleId: (f) => [f.articleId],
  importId: (f) => [f.importId],
  endpoint: (f) => [f.pushEndpoint],
  email: (f) => f.emails,
  // Whom a deactivated person's work passes to.
  transferTo: (f) => f.userIds,
  // `id` names a calendar, a policy, an article or a taught adapter depending on the procedure.
  id: (f) => [f.calendarId, f.policyId, f.articleId, f.taughtId, f.scheduleId, f.pathId],
  scheduleId: (f) => [f.scheduleId],
  pageId: (f) => [f.pageId],
  webhookId: (f) => [f.webhookId],
  pathId: (f) => [f.pathId],
  participants: (f) => [f.userIds],
  // A taught adapter's id, or a built-in tool's (connectors are set up for those).
  tool: (f) => [f.taughtId, 'zendesk'],
  connectorId: (f) => [f.connectorId],
  externalIds: (f) => [[f.externalId]],
  externalId: (f) => [f.externalId],
  // Free text that searches: another workspace's article must not come back.
  q: (f) => [f.articleTitle],
};

/**
 * Inputs for procedures whose zod input has refinements the walk cannot satisfy. Id-like
 * fields in them are replaced like derived ones.
 */
const OVERRIDES: Record<string, unknown> = {
  'oncall.saveQuietHours': {
    quietHours: { timeZone: 'UTC', windows: [{ days: ['mon'], start: '22:00', end: '07:00' }] },
  },
  'sla.saveCalendar': { id: 'x', spec: { name: 'Office', timeZone: 'UTC', hours: '24x7' } },
  'sla.savePolicies': { policies: [{ id: 'x', policy: { ...defaultPolicy, name: 'P' } }] },
  'sla.whatIf': {
    calendar: { id: 'x', spec: { name: 'Office', timeZone: 'UTC', hours: '24x7' } },
    policies: [{ id: 'x', policy: { ...defaultPolicy, name: 'P' } }],
  },
  // Reaches out to another host: the matrix's resolver knows no name, so nothing leaves the box.
  'sla.fetchICalendar': { url: 'https://holidays.matrix.example/public.ics' },
  'push.subscribe': pushSubscriptionFor(`https://${OFFLINE_PUSH_HOST}/push/x`),
  'adapters.saveTaught': {
    id: 'x',
    name: 'Taught',
    urlPattern: 'https://help.example.test/cases/:id',
    examples: { ticket: ['https://help.example.test/cases/1'] },
    selectors: { subject: '.t', status: '.s', priority: '.p', requester: '.r', created: 'time' },
    values: { status: {}, priority: {} },
  },
  'kb.import': {
    source: 'upload',
    importId: 'x-import-2',
    files: [{ name: 'a.md', base64: Buffer.from('# A\n\nB').toString('base64') }],
  },
  'connectors.create': {
    tool: 'x',
    name: 'Matrix Zendesk',
    config: { subdomain: 'matrix' },
    webhookSecret: 'matrix-signing-secret',
  },
  'sso.save': {
    enabled: true,
    issuer: 'https://idp.matrix.example',
    clientId: 'matrix-client',
    clientSecret: 'matrix-sso-secret',
    allowedDomain: 'matrix-sso.example',
    defaultRole: 'agent',
  },
  'connectors.rotate': { connectorId: 'x', webhookSecret: 'matrix-rotated-secret' },
  'kb.record': { articleId: 'x', ticketId: 'x', kind: 'flagged_outdated', comment: 'Old' },
  'metrics.glance': { period: '30d', timeZone: 'UTC' },
  'metrics.tickets': { query: { period: '30d', timeZone: 'UTC' }, metric: 'backlog' },
  'flags.cards': { period: '30d', timeZone: 'UTC' },
  'flags.setRules': { ...DEFAULT_RED_FLAG_RULES, aging_tickets: { enabled: true, days: 1 } },
  'flags.setDigest': { enabled: true, weekday: 1, time: '08:00', timeZone: 'UTC' },
  'agents.setAliases': { userId: 'x', aliases: [{ tool: 'redmine', name: 'Someone' }] },
  'escalations.decide': { escalationId: 'x', decision: 'deny', comment: 'No' },
  'oncall.saveSchedule': {
    id: 'x',
    name: 'Rota',
    timeZone: 'UTC',
    layers: [
      { id: 'l', name: 'L', start: '2026-03-23T09:00', turn: 'weekly', participants: ['x', 'y'] },
    ],
  },
  'oncall.saveWebhook': {
    pathId: 'x',
    level: 0,
    name: 'Hook',
    url: `https://${OFFLINE_PUSH_HOST}/hook/x`,
    format: 'json',
  },
  'oncall.addOverride': { scheduleId: 'x', userId: 'x', start: 1, end: 2 },
  'shifts.saveSchedule': {
    id: 'x',
    name: 'Rota',
    timeZone: 'UTC',
    layers: [
      { id: 'l', name: 'L', start: '2026-03-23T09:00', turn: 'weekly', participants: ['x', 'y'] },
    ],
  },
  'shifts.change': { kind: 'cover', scheduleId: 'x', userId: 'x', span: { start: 1, end: 2 } },
  // An invitation link's secret: anyone holding a real one may join its workspace (that is what
  // it is for), so the matrix checks that a made-up one opens nothing.
  'people.invitation': { token: 'not-an-invitation-token-0123456789' },
  'people.join': {
    token: 'not-an-invitation-token-0123456789',
    name: 'Someone',
    password: 'long enough password',
  },
};

/**
 * Known failures, each waiting for a fix on another branch of issue #13. The matrix expects
 * each to happen, so merging the fix fails this test until its line here is removed.
 */
const KNOWN_UNTIL_FIXED: { path: string; kind: Failure['kind']; waitsFor: string }[] = [];

interface Failure {
  path: string;
  caller: string;
  input: unknown;
  kind: 'leak' | 'changed-other-workspace' | 'no-event' | 'bad-derived-input';
  detail: string;
}

let env: Env;
let A: Fixture;
let B: Fixture;
beforeAll(async () => {
  env = await testEnv(offlinePush);
  A = await populate(env, env.a, 'Alpha');
  B = await populate(env, env.b, 'Beta');
  await raiseAlerts(env, A, B);
}, 120_000);
afterAll(() => env?.close());

type Plain = unknown;
/** Replaces every id-like field of `value` with `pick(field, occurrence)`. */
function substitute(value: Plain, pick: (key: string, at: number) => unknown): Plain {
  let n = 0;
  const walk = (v: Plain): Plain => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k, k in ID_FIELDS ? pick(k, n++) : walk(x)]),
      );
    return v;
  };
  return walk(value);
}

/**
 * The input with Alpha's own ids: for each id-like field, the first of Alpha's values that the
 * schema accepts there (`id` may name an adapter, whose ids look different).
 */
function ownInput(base: Plain, schema: z.ZodType): Plain[] {
  const fields: string[] = [];
  substitute(base, (k) => fields.push(k));
  const chosen = fields.map((k) => ID_FIELDS[k]!(A)[0]);
  fields.forEach((k, at) => {
    for (const value of ID_FIELDS[k]!(A)) {
      const tryIt = [...chosen];
      tryIt[at] = value;
      if (schema.safeParse(substitute(base, (_k, i) => tryIt[i])).success) {
        chosen[at] = value;
        break;
      }
    }
  });
  return chosen;
}

/** The procedure's inputs: one with all of Beta's first ids, then one per Beta id and field. */
function variants(base: Plain, own: Plain[]): Plain[] {
  const fields: string[] = [];
  substitute(base, (k) => fields.push(k));
  const all = substitute(base, (k) => ID_FIELDS[k]!(B)[0]);
  const out = [all];
  fields.forEach((field, at) => {
    for (const value of ID_FIELDS[field]!(B)) {
      const v = substitute(base, (_k, i) => (i === at ? value : own[i]));
      if (JSON.stringify(v) !== JSON.stringify(all)) out.push(v);
    }
  });
  return out;
}

/** Rows of each table that one snapshot has and the other has not. */
function diff(before: Record<string, string[]>, after: Record<string, string[]>) {
  const out: Record<string, { gone: string[]; new: string[] }> = {};
  for (const t of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = before[t] ?? [];
    const a = after[t] ?? [];
    const gone = b.filter((r) => !a.includes(r));
    const added = a.filter((r) => !b.includes(r));
    if (gone.length || added.length) out[t] = { gone, new: added };
  }
  return out;
}

/** The ids that mark a workspace's rows (short, readable ids like an adapter's are left out). */
function idsOf(f: Fixture): string[] {
  return [
    f.workspaceId,
    ...f.userIds,
    f.ticketId,
    f.escalationId,
    ...f.alertIds,
    f.calendarId,
    f.policyId,
    f.articleId,
    ...f.tokenIds,
    f.pushEndpoint,
    f.scheduleId,
    f.pathId,
    f.pageId,
    f.webhookId,
    f.connectorId,
  ];
}

function secretsOf(f: Fixture): string[] {
  return [
    f.workspaceId,
    ...f.userIds,
    ...f.emails,
    ...f.names,
    f.aliasName,
    f.ticketId,
    f.externalId,
    f.subject,
    f.escalationId,
    f.reason,
    ...f.alertIds,
    f.calendarId,
    f.calendarName,
    f.policyId,
    f.policyName,
    f.articleId,
    f.articleTitle,
    f.scheduleId,
    f.scheduleName,
    f.pathId,
    f.pathName,
    f.pageId,
    // Not `taughtId`: an adapter id is a name any workspace may use (the matrix itself reports
    // health for Beta's id as Alpha), so Alpha's own rows carry it; the name stays secret.
    f.taughtName,
    ...f.tokenIds,
    f.deviceName,
    f.pushEndpoint,
    f.importId,
    f.connectorId,
    f.connectorName,
    // Never returned to anyone, Beta's admin included; Alpha's callers must not even see it.
    f.connectorSecret,
    f.webhookName,
    // Shown once to the manager who made it; never again, to anyone.
    f.webhookSecret,
    f.ssoClientId,
    f.ssoSecret,
  ];
}

const show = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
};

it('gives no caller of one workspace any data or write in another, for every procedure', async () => {
  const procedures = proceduresOf(appRouter);
  expect(procedures.length).toBeGreaterThan(40);
  const paths = procedures.map((p) => p.path);
  expect(Object.keys(OVERRIDES).filter((p) => !paths.includes(p))).toEqual([]); // none stale
  const callers: [string, TestCaller][] = [['anonymous', env.anonymous()]];
  for (const role of ['agent', 'manager', 'admin'] as const)
    for (const via of ['session', 'token'] as const)
      callers.push([`${role} (${via})`, await env.as(env.a.users[role].email, via)]);
  const adminSession = callers.find(([n]) => n === 'admin (session)')![1];

  const tables = await tableNames(env.client);
  const bRows = () => rowsHolding(env.client, tables, idsOf(B));
  const secrets = secretsOf(B);
  const failures: Failure[] = [];
  let calls = 0;

  for (const { path, type, input } of procedures) {
    let base: Plain = undefined;
    let ownIds: Plain[] = [];
    if (input) {
      const placeholder = (k: string) => (k in ID_FIELDS ? ['<id>'] : undefined);
      base = path in OVERRIDES ? OVERRIDES[path] : exampleOf(input, placeholder);
      ownIds = ownInput(base, input);
      const own = substitute(base, (_k, i) => ownIds[i]);
      const parsed = input.safeParse(own);
      if (!parsed.success) {
        failures.push({
          path,
          caller: '-',
          input: own,
          kind: 'bad-derived-input',
          detail: `no valid input derived from its zod schema and none in OVERRIDES: ${parsed.error.message}`,
        });
        continue;
      }
    }
    const inputs = input ? variants(base, ownIds) : [undefined];
    for (const [name, caller] of callers) {
      for (const sent of inputs) {
        calls++;
        const before = await bRows();
        let answer: unknown;
        try {
          const res = await callPath(caller, path, sent);
          if (type === 'subscription') {
            const first = await firstEvent(res);
            if ('timeout' in first)
              failures.push({ path, caller: name, input: sent, kind: 'no-event', detail: '' });
            answer = 'value' in first ? first.value : first;
          } else answer = res;
        } catch (err) {
          answer = { error: err instanceof Error ? err.message : String(err) };
        }
        // The whole answer: a list can hold another workspace's rows past what a report shows.
        const text = JSON.stringify(answer) ?? String(answer);
        const sentText = JSON.stringify(sent) ?? '';
        const leaked = secrets.filter((s) => text.includes(s) && !sentText.includes(s));
        if (leaked.length)
          failures.push({
            path,
            caller: name,
            input: sent,
            kind: 'leak',
            detail: leaked.join(', '),
          });
        const after = await bRows();
        if (JSON.stringify(after) !== JSON.stringify(before))
          failures.push({
            path,
            caller: name,
            input: sent,
            kind: 'changed-other-workspace',
            detail: show(diff(before, after)),
          });
      }
    }
    // The derived input reaches the procedure: with its own ids, the admin's call passes zod.
    if (input) {
      const own = substitute(base, (_k, i) => ownIds[i]);
      const err = await Promise.resolve(callPath(adminSession, path, own))
        .then((r) => (type === 'subscription' ? firstEvent(r) : r))
        .then(
          () => null,
          (e: unknown) => e,
        );
      if (err instanceof TRPCError && err.cause instanceof ZodError)
        failures.push({
          path,
          caller: 'admin (session)',
          input: own,
          kind: 'bad-derived-input',
          detail: err.message,
        });
    }
  }

  const report = (f: Failure) =>
    `${f.path} by ${f.caller}: ${f.kind} ${f.detail}\n    input: ${show(f.input)}`;
  const expected = (f: Failure) =>
    KNOWN_UNTIL_FIXED.some((k) => k.path === f.path && k.kind === f.kind);
  expect(failures.filter((f) => !expected(f)).map(report)).toEqual([]);
  // A known failure that no longer happens: its fix has landed, remove its line above.
  for (const k of KNOWN_UNTIL_FIXED)
    expect(
      failures.some((f) => f.path === k.path && f.kind === k.kind),
      `${k.path} ${k.kind} no longer happens: remove it from KNOWN_UNTIL_FIXED`,
    ).toBe(true);
  expect(calls).toBeGreaterThan(procedures.length * callers.length);
}, 300_000);
