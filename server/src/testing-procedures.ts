/**
 * Test support for suites that cover every procedure: the procedures read off the router
 * itself (a new one is covered without editing the tests), calls by path, a workspace filled
 * with one row of each kind, and database snapshots to prove what a call wrote.
 */
import { createECDH, randomBytes } from 'node:crypto';
import type { Client } from '@libsql/client';
import type { AnyTRPCRouter } from '@trpc/server';
import { defaultPolicy } from '@deskwatch/shared';
import type { z } from 'zod';
import { snapshot, type testEnv } from './testing.js';

export type Env = Awaited<ReturnType<typeof testEnv>>;
export type TestCaller = Awaited<ReturnType<Env['as']>>;

export interface ProcedureInfo {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  /** The procedure's zod input, or null for a procedure without input. */
  input: z.ZodType | null;
}

/** Every procedure of `router`, from its definition (tRPC v11 keeps them flat by path). */
export function proceduresOf(router: AnyTRPCRouter): ProcedureInfo[] {
  const procedures = router._def.procedures as Record<
    string,
    { _def: { type: ProcedureInfo['type']; inputs: z.ZodType[] } }
  >;
  return Object.entries(procedures).map(([path, p]) => {
    const { type, inputs } = p._def;
    if (inputs.length > 1)
      throw new Error(`${path}: ${inputs.length} chained inputs; teach testing-procedures them`);
    return { path, type, input: inputs[0] ?? null };
  });
}

/** Calls `path` on a createCaller caller. */
export function callPath(caller: TestCaller, path: string, input: unknown): Promise<unknown> {
  const fn = path
    .split('.')
    .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller) as (
    i: unknown,
  ) => Promise<unknown>;
  return fn(input);
}

/** The first value of a subscription, its refusal, or a timeout (upper bound only). */
export async function firstEvent(
  stream: unknown,
  ms = 10_000,
): Promise<{ value: unknown } | { error: unknown } | { timeout: true }> {
  const it = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      it.next().then(
        (r) => ({ value: r.value }),
        (error: unknown) => ({ error }),
      ),
      new Promise<{ timeout: true }>((ok) => {
        timer = setTimeout(() => ok({ timeout: true }), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await it.return?.();
  }
}

/** A browser-like push subscription: its own P-256 key and auth secret. */
export function pushSubscriptionFor(endpoint: string) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint,
    keys: {
      p256dh: ecdh.getPublicKey().toString('base64url'),
      auth: randomBytes(16).toString('base64url'),
    },
  };
}

export interface Fixture {
  workspaceId: string;
  userIds: string[];
  emails: string[];
  names: string[];
  /** An alias an admin gave the workspace's agent. */
  aliasName: string;
  /** The sources that observed the ticket. */
  sourceKeys: string[];
  ticketId: string;
  externalId: string;
  subject: string;
  escalationId: string;
  reason: string;
  alertIds: string[];
  calendarId: string;
  calendarName: string;
  policyId: string;
  policyName: string;
  articleId: string;
  articleTitle: string;
  taughtId: string;
  taughtName: string;
  tokenIds: string[];
  deviceName: string;
  pushEndpoint: string;
  importId: string;
  scheduleId: string;
  scheduleName: string;
  pathId: string;
  pathName: string;
  /** The page the escalation request opened on the default path. */
  pageId: string;
  /** An outgoing webhook on the default path's first level, and its secret (shown once). */
  webhookId: string;
  webhookName: string;
  webhookSecret: string;
  connectorId: string;
  connectorName: string;
  connectorSecret: string;
  /** Single sign-on: the client id is shown to the workspace's admins, the secret to no one. */
  ssoClientId: string;
  ssoSecret: string;
}

/**
 * Fills workspace `ws` with one row of each kind, named after `label` so another workspace's
 * data is recognisable in any answer. Alerts are raised by one scheduler tick at the end.
 */
export async function populate(env: Env, ws: Env['a'], label: string): Promise<Fixture> {
  const slug = label.toLowerCase();
  const admin = await env.as(ws.users.admin.email);
  const manager = await env.as(ws.users.manager.email);
  const agent = await env.as(ws.users.agent.email, 'token');
  const deviceName = `${label} laptop`;
  // A pairing by hand, to name the device.
  const { code } = await admin.pairing.createCode();
  await env.anonymous().pairing.redeem({ code, deviceName });
  const tokenIds = [
    ...(await admin.pairing.devices()).map((d) => d.id),
    ...(await (await env.as(ws.users.agent.email)).pairing.devices()).map((d) => d.id),
  ];

  const subject = `${label} secret subject`;
  const externalId = `${slug}-77`;
  const { ticket } = await agent.tickets.observe({
    snapshot: snapshot({
      externalId,
      subject,
      requester: `customer@${slug}.example`,
      url: `https://desk.${slug}.example/tickets/77`,
    }),
  });
  const scheduleName = `${label} on-call`;
  const { id: scheduleId } = await manager.oncall.saveSchedule({
    name: scheduleName,
    timeZone: 'UTC',
    layers: [
      {
        id: 'l1',
        name: 'Weekly',
        start: '2026-03-23T09:00',
        turn: 'weekly',
        participants: [ws.users.manager.userId],
      },
    ],
  });
  const pathName = `${label} path`;
  const { id: pathId } = await manager.oncall.savePath({
    name: pathName,
    isDefault: true,
    levels: [{ targets: [{ kind: 'schedule', scheduleId }], timeoutMinutes: 5 }],
  });
  const webhookName = `${label} webhook`;
  const { id: webhookId, secret: webhookSecret } = await manager.oncall.saveWebhook({
    pathId,
    level: 0,
    name: webhookName,
    url: `https://${OFFLINE_PUSH_HOST}/hook/${slug}`,
    format: 'json',
  });
  const reason = `${label} escalation reason`;
  const esc = await agent.escalations.request({ ticketId: ticket.id, type: 'tier2', reason });

  const calendarName = `${label} office`;
  const { id: calendarId } = await admin.sla.saveCalendar({
    spec: { name: calendarName, timeZone: 'UTC', hours: '24x7' },
  });
  const policyName = `${label} policy`;
  await admin.sla.savePolicies({ policies: [{ policy: { ...defaultPolicy, name: policyName } }] });
  const policyId = (await admin.sla.config()).policies[0]!.id;

  const taughtId = `${slug}-help`;
  const taughtName = `${label} Help`;
  await admin.adapters.saveTaught({
    id: taughtId,
    name: taughtName,
    urlPattern: `https://help.${slug}.example/cases/:id`,
    examples: { ticket: [`https://help.${slug}.example/cases/7`] },
    selectors: { subject: '.t', status: '.s', priority: '.p', requester: '.r', created: 'time' },
    values: { status: { Open: 'open' }, priority: { P1: 'urgent' } },
  });
  await admin.adapters.setValues({
    tool: 'zendesk',
    values: { status: { [`${label} waiting`]: 'on_hold' }, priority: {} },
  });
  await admin.adapters.setDisabled({ tool: 'redmine', disabled: true });
  await agent.adapters.reportHealth({
    tool: taughtId,
    version: '1',
    fields: ['priority'],
    url: `https://help.${slug}.example/cases/7`,
  });

  const articleTitle = `${label} zebracorn article`;
  const importId = `${slug}-import-1`;
  await admin.kb.import({
    importId,
    source: slug,
    files: [
      {
        name: 'article.md',
        base64: Buffer.from(`# ${articleTitle}\n\nHow ${label} does zebracorns.`).toString(
          'base64',
        ),
      },
    ],
  });
  const articleId = (await agent.kb.search({ q: articleTitle }))[0]!.id;
  await agent.kb.link({ ticketId: ticket.id, articleId });
  await agent.kb.record({ articleId, ticketId: ticket.id, kind: 'helpful' });
  await agent.kb.draft({ ticketId: ticket.id, title: `${label} draft`, body: 'Draft body.' });

  const pushEndpoint = `https://${OFFLINE_PUSH_HOST}/push/${slug}-device`;
  await manager.push.subscribe(pushSubscriptionFor(pushEndpoint));

  const aliasName = `${label} alias name`;
  await admin.agents.setAliases({
    userId: ws.users.agent.userId,
    aliases: [{ tool: 'redmine', name: aliasName }],
  });
  const sourceKeys = (await admin.tickets.sources({ ticketId: ticket.id })).sources.map(
    (s) => s.sourceKey,
  );

  const pageId = (await manager.oncall.pages()).find((p) => p.sourceId === esc.id)!.id;
  await manager.oncall.addOverride({
    scheduleId,
    start: env.clock() + 3_600_000,
    end: env.clock() + 7_200_000,
  });

  const connectorName = `${label} Zendesk`;
  const connectorSecret = `${slug}-zendesk-signing-secret`;
  const { id: connectorId } = await admin.connectors.create({
    tool: 'zendesk',
    name: connectorName,
    config: { subdomain: slug },
    webhookSecret: connectorSecret,
  });

  const ssoClientId = `${slug}-sso-client-id`;
  const ssoSecret = `${slug}-sso-client-secret`;
  await admin.sso.save({
    enabled: true,
    issuer: `https://idp.${slug}.example`,
    clientId: ssoClientId,
    clientSecret: ssoSecret,
    allowedDomain: `${slug}-sso.example`,
    defaultRole: 'agent',
  });

  const users = Object.values(ws.users);
  return {
    ssoClientId,
    ssoSecret,
    scheduleId,
    scheduleName,
    pathId,
    pathName,
    pageId,
    webhookId,
    webhookName,
    webhookSecret,
    connectorId,
    connectorName,
    connectorSecret,
    aliasName,
    sourceKeys,
    workspaceId: ws.id,
    userIds: users.map((u) => u.userId),
    emails: users.map((u) => u.email),
    names: ['agent', 'manager', 'admin'].map((r) => `${label} ${r}`),
    ticketId: ticket.id,
    externalId,
    subject,
    escalationId: esc.id,
    reason,
    alertIds: [],
    calendarId,
    calendarName,
    policyId,
    policyName,
    articleId,
    articleTitle,
    taughtId,
    taughtName,
    tokenIds,
    deviceName,
    pushEndpoint,
    importId,
  };
}

/** Raises alerts for every populated workspace (its tickets are then long overdue). */
export async function raiseAlerts(env: Env, ...fixtures: Fixture[]) {
  await env.services.scheduler.tick(env.clock() + 24 * 3_600_000);
  for (const f of fixtures) {
    const rs = await env.client.execute({
      sql: 'SELECT id FROM alerts WHERE workspace_id = ? ORDER BY id',
      args: [f.workspaceId],
    });
    f.alertIds = rs.rows.map((r) => String(r[0]));
    if (!f.alertIds.length) throw new Error(`no alert raised in ${f.workspaceId}`);
  }
}

/** The names of every table of the database, read from sqlite_master. */
export async function tableNames(client: Client): Promise<string[]> {
  const rs = await client.execute(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
       AND name NOT LIKE '\\_\\_%' ESCAPE '\\' ORDER BY name`,
  );
  return rs.rows.map((r) => String(r[0]));
}

/** Row counts of every table, in one statement. */
export async function rowCounts(client: Client, tables: string[]): Promise<Record<string, number>> {
  const rs = await client.execute(
    `SELECT ${tables.map((t) => `(SELECT count(*) FROM "${t}")`).join(', ')}`,
  );
  const row = rs.rows[0]!;
  return Object.fromEntries(tables.map((t, i) => [t, Number(row[i])]));
}

/**
 * Every row, of every table, holding one of `ids` in any column (JSON columns included): a
 * workspace's data, found without a list of which table holds what.
 */
export async function rowsHolding(
  client: Client,
  tables: string[],
  ids: string[],
): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of tables) {
    const rs = await client.execute(`SELECT * FROM "${t}"`);
    const mine = rs.rows
      .map((r) =>
        JSON.stringify(Array.from(r), (_k, v: unknown) =>
          typeof v === 'bigint' ? String(v) : v instanceof ArrayBuffer ? '<blob>' : v,
        ),
      )
      .filter((s) => ids.some((id) => s.includes(id)))
      .sort();
    if (mine.length) out[t] = mine;
  }
  return out;
}

/**
 * Push devices of these tests live on a closed loopback port that the operator allow-list admits:
 * a send fails at once, and nothing ever leaves the machine.
 */
export const OFFLINE_PUSH_HOST = 'localhost:9';
export const offlinePush = { pushAllowedHosts: [{ hostname: 'localhost', port: '9' }] };
