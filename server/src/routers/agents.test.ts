import { agentNamesFor } from '@deskwatch/shared';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { agentAliases } from '../db/schema.js';
import { testEnv } from '../testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());

const aliasRows = async () => (await env.db.select().from(agentAliases)).length;

it("gives an extension token the workspace's agents with their aliases, and no one else's", async () => {
  const admin = await env.as(env.a.users.admin.email);
  await admin.agents.setAliases({
    userId: env.a.users.agent.userId,
    aliases: [{ tool: 'redmine', name: 'Ana Support' }, { email: 'Ana.Helpdesk@Alpha.example' }],
  });
  const list = await (await env.as(env.a.users.agent.email, 'token')).agents.list();
  expect(list.map((a) => [a.email, a.role])).toEqual([
    ['admin@alpha.test', 'admin'],
    ['agent@alpha.test', 'agent'],
    ['manager@alpha.test', 'manager'],
  ]);
  expect(list.find((a) => a.role === 'agent')!.aliases).toEqual([
    { tool: 'redmine', name: 'Ana Support', email: null },
    { tool: null, name: null, email: 'ana.helpdesk@alpha.example' },
  ]);
  // A tool's names: everyone's own, the aliases for that tool and those for every tool.
  expect(agentNamesFor(list, 'redmine')).toContain('ana support');
  expect(agentNamesFor(list, 'zendesk')).not.toContain('ana support');
  expect(agentNamesFor(list, 'zendesk')).toContain('ana.helpdesk@alpha.example');

  const beta = await (await env.as(env.b.users.agent.email, 'token')).agents.list();
  expect(JSON.stringify(beta)).not.toMatch(/alpha/i);
});

it('replaces the aliases on each save', async () => {
  const admin = await env.as(env.a.users.admin.email);
  const userId = env.a.users.manager.userId;
  await admin.agents.setAliases({ userId, aliases: [{ name: 'Old' }, { name: 'Older' }] });
  const after = await admin.agents.setAliases({ userId, aliases: [{ name: 'New' }] });
  expect(after.find((a) => a.userId === userId)!.aliases.map((a) => a.name)).toEqual(['New']);
  expect(await aliasRows()).toBe(1);
});

it('lets only admins set aliases, of their own workspace, and writes nothing for a rejected request', async () => {
  const userId = env.a.users.agent.userId;
  for (const email of [env.a.users.agent.email, env.a.users.manager.email])
    await expect(
      (await env.as(email)).agents.setAliases({ userId, aliases: [{ name: 'X' }] }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  const admin = await env.as(env.a.users.admin.email);
  await expect(
    admin.agents.setAliases({ userId: env.b.users.agent.userId, aliases: [{ name: 'X' }] }),
  ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  // One bad alias refuses the whole list.
  await expect(
    admin.agents.setAliases({ userId, aliases: [{ name: 'Fine' }, { tool: 'redmine' }] }),
  ).rejects.toThrow(/an alias has a name or an e-mail/);
  await expect(
    admin.agents.setAliases({ userId, aliases: [{ name: 'Fine' }, { email: 'not-an-address' }] }),
  ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  expect(await aliasRows()).toBe(0);
});
