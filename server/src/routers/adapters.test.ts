import { afterEach, beforeEach, expect, it } from 'vitest';
import { testEnv } from '../testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());

const report = {
  tool: 'redmine',
  version: '1',
  fields: ['priority', 'created'],
  url: 'https://redmine.example.org/issues/7',
};

it('counts broken fields per tool, version and field for the admin of that workspace only', async () => {
  const agent = await env.as(env.a.users.agent.email, 'token');
  await agent.adapters.reportHealth(report);
  env.clock.advance(60_000);
  await agent.adapters.reportHealth({
    ...report,
    fields: ['priority'],
    url: 'https://redmine.example.org/issues/8',
  });
  const admin = await env.as(env.a.users.admin.email);
  const rows = (await admin.adapters.health()).map((h) => [
    h.tool,
    h.version,
    h.field,
    h.count,
    h.lastUrl,
  ]);
  expect(rows).toEqual([
    ['redmine', '1', 'priority', 2, 'https://redmine.example.org/issues/8'],
    ['redmine', '1', 'created', 1, 'https://redmine.example.org/issues/7'],
  ]);
  expect(await (await env.as(env.b.users.admin.email)).adapters.health()).toEqual([]);
  await expect(agent.adapters.health()).rejects.toMatchObject({ code: 'FORBIDDEN' });
});

it('rejects a malformed report and writes nothing', async () => {
  const agent = await env.as(env.a.users.agent.email, 'token');
  await expect(agent.adapters.reportHealth({ ...report, tool: 'Not An Id' })).rejects.toMatchObject(
    { code: 'BAD_REQUEST' },
  );
  await expect(agent.adapters.reportHealth({ ...report, fields: [] })).rejects.toMatchObject({
    code: 'BAD_REQUEST',
  });
  expect(await (await env.as(env.a.users.admin.email)).adapters.health()).toEqual([]);
});

it('lets an admin switch an adapter off for the workspace, and every agent of it sees that', async () => {
  const admin = await env.as(env.a.users.admin.email);
  expect(await admin.adapters.setDisabled({ tool: 'zendesk', disabled: true })).toEqual([
    'zendesk',
  ]);
  expect(await (await env.as(env.a.users.agent.email, 'token')).adapters.disabled()).toEqual([
    'zendesk',
  ]);
  expect(await (await env.as(env.b.users.agent.email, 'token')).adapters.disabled()).toEqual([]);
  await expect(
    (await env.as(env.a.users.manager.email)).adapters.setDisabled({
      tool: 'zendesk',
      disabled: false,
    }),
  ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  expect(await admin.adapters.setDisabled({ tool: 'zendesk', disabled: false })).toEqual([]);
});

const taught = {
  id: 'acme-help',
  name: 'Acme Help',
  urlPattern: 'https://help.acme.test/cases/:id',
  examples: {
    ticket: ['https://help.acme.test/cases/77'],
    notTicket: ['https://help.acme.test/cases'],
  },
  selectors: { subject: '.t', status: '.s', priority: '.p', requester: '.r', created: 'time' },
  values: { status: { Open: 'open' as const }, priority: { P1: 'urgent' as const } },
};

it('stores taught adapters per workspace for every agent, and refuses contradicting examples', async () => {
  const admin = await env.as(env.a.users.admin.email);
  await expect(
    admin.adapters.saveTaught({
      ...taught,
      examples: { ticket: ['https://help.acme.test/case/77'] },
    }),
  ).rejects.toMatchObject({
    code: 'BAD_REQUEST',
    message:
      'https://help.acme.test/case/77 should be a ticket page but does not match https://help.acme.test/cases/:id',
  });
  await expect(
    admin.adapters.saveTaught({ ...taught, urlPattern: 'https://help.acme.test/cases' }),
  ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  expect(await admin.adapters.taught()).toEqual([]);
  await admin.adapters.saveTaught(taught);
  await admin.adapters.saveTaught({ ...taught, name: 'Acme Help 2' }); // same id: replaced, not duplicated
  expect(
    (await (await env.as(env.a.users.agent.email, 'token')).adapters.taught()).map((a) => [
      a.id,
      a.name,
      a.version,
    ]),
  ).toEqual([['acme-help', 'Acme Help 2', '1']]);
  expect(await (await env.as(env.b.users.agent.email, 'token')).adapters.taught()).toEqual([]);
  await expect(
    (await env.as(env.a.users.manager.email)).adapters.saveTaught(taught),
  ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  await expect(
    (await env.as(env.b.users.admin.email)).adapters.deleteTaught({ id: 'acme-help' }),
  ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await admin.adapters.deleteTaught({ id: 'acme-help' });
  expect(await admin.adapters.taught()).toEqual([]);
});

it('keeps a workspace its own meaning of a tool statuses and priorities, set by an admin', async () => {
  const admin = await env.as(env.a.users.admin.email);
  const agent = await env.as(env.a.users.agent.email, 'token');
  const values = {
    status: { 'Waiting on vendor': 'on_hold' as const },
    priority: { P1: 'urgent' as const },
  };
  expect(await admin.adapters.setValues({ tool: 'zendesk', values })).toEqual({ zendesk: values });
  expect(await agent.adapters.values()).toEqual({ zendesk: values });
  expect(await (await env.as(env.b.users.agent.email, 'token')).adapters.values()).toEqual({});
  await expect(agent.adapters.setValues({ tool: 'zendesk', values })).rejects.toThrow(/admin/i);
  await expect(
    admin.adapters.setValues({
      tool: 'zendesk',
      values: { status: { Weird: 'sideways' as never }, priority: {} },
    }),
  ).rejects.toThrow();
  expect(await agent.adapters.values()).toEqual({ zendesk: values });
  // Empty maps remove the workspace's mappings; the switch-off setting of the tool is untouched.
  await admin.adapters.setDisabled({ tool: 'zendesk', disabled: true });
  expect(
    await admin.adapters.setValues({ tool: 'zendesk', values: { status: {}, priority: {} } }),
  ).toEqual({});
  expect(await agent.adapters.disabled()).toEqual(['zendesk']);
});

it("keeps a workspace's zone, language and date format for a tool, alone or with mappings", async () => {
  const admin = await env.as(env.a.users.admin.email);
  const agent = await env.as(env.a.users.agent.email, 'token');
  const zoneOnly = { status: {}, priority: {}, timeZone: 'UTC', locale: 'de' };
  expect(await admin.adapters.setValues({ tool: 'redmine', values: zoneOnly })).toEqual({
    redmine: zoneOnly,
  });
  expect(await agent.adapters.values()).toEqual({ redmine: zoneOnly });
  // A zone the runtime does not know is refused and changes nothing.
  await expect(
    admin.adapters.setValues({
      tool: 'redmine',
      values: { status: {}, priority: {}, timeZone: 'Europe/Atlantis' },
    }),
  ).rejects.toThrow(/time zone/);
  expect(await agent.adapters.values()).toEqual({ redmine: zoneOnly });
  expect(await (await env.as(env.b.users.agent.email, 'token')).adapters.values()).toEqual({});
});
