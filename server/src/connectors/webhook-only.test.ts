import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { testEnv } from '../testing.js';

// A ticket nobody opened: known only from the tool's webhook, it gets its SLA warnings on time.
const SECRET = 'gitlab-secret-token-for-sla';
const t = (iso: string) => Date.parse(iso);

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => {
  env = await testEnv();
  env.clock.set(t('2026-03-27T08:41:00Z'));
});
afterEach(() => env.close());

describe('a webhook-only ticket', () => {
  it('gets its first-response warnings and breach at their instants, from the tool’s creation time', async () => {
    const admin = await env.as(env.a.users.admin.email);
    await admin.sla.savePolicies({
      policies: [{ policy: { name: 'FR', targets: { first_response: { high: 60 } } } }],
    });
    const c = await env.services.connectors.create(env.a.id, {
      tool: 'gitlab',
      name: 'Acme GitLab',
      config: {},
      webhookSecret: SECRET,
    });
    const app = createApp({
      db: env.db,
      services: env.services,
      publicUrl: 'https://deskwatch.test',
      pwaDist: '/nonexistent',
    });
    const body = readFileSync(
      new URL('./fixtures/gitlab/issue-open.json', import.meta.url),
      'utf8',
    );
    const res = await app.request(`/hooks/${c.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-gitlab-event': 'Issue Hook',
        'x-gitlab-event-uuid': 'sla-1',
        'x-gitlab-token': SECRET,
      },
      body,
    });
    expect(res.status).toBe(200);
    // Created 08:40 (GitLab's time, not 08:41 when it arrived), high priority: 60 min to answer.
    const { scheduler } = env.services;
    expect(await scheduler.tick(t('2026-03-27T09:09:59Z'))).toEqual([]);
    expect((await scheduler.tick(t('2026-03-27T09:10:01Z'))).map((a) => a.level)).toEqual([
      'warn:50%',
    ]);
    expect((await scheduler.tick(t('2026-03-27T09:25:01Z'))).map((a) => a.level)).toEqual([
      'warn:75%',
    ]);
    expect((await scheduler.tick(t('2026-03-27T09:40:01Z'))).map((a) => a.level)).toEqual([
      'breach',
    ]);
  });
});
