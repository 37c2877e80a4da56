import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshot, testEnv } from '../testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());

const count = async (table: string) =>
  Number((await env.client.execute(`SELECT count(*) FROM ${table}`)).rows[0]![0]);
const SCRIPT_URLS = [
  'javascript:alert(document.cookie)',
  ' JavaScript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
];

describe('only http(s) URLs are accepted', () => {
  it('refuses a ticket whose URL is a script, naming the field, and stores nothing', async () => {
    const agent = await env.as(env.a.users.agent.email, 'token');
    for (const url of SCRIPT_URLS) {
      await expect(agent.tickets.observe({ snapshot: snapshot({ url }) })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringMatching(
          /"snapshot",\s*"url"[\s\S]*must be an http:\/\/ or https:\/\/ URL/,
        ),
      });
    }
    expect(await count('tickets')).toBe(0);
    await agent.tickets.observe({ snapshot: snapshot() });
    expect(await count('tickets')).toBe(1);
  });

  it('refuses an adapter-health report whose URL is a script', async () => {
    const agent = await env.as(env.a.users.agent.email, 'token');
    const report = { tool: 'zendesk', version: '1', fields: ['subject'] };
    for (const url of SCRIPT_URLS)
      await expect(agent.adapters.reportHealth({ ...report, url })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
    expect(await count('adapter_health')).toBe(0);
  });

  it('rejects imported articles whose link is a script, saying which field, and keeps the rest', async () => {
    const admin = await env.as(env.a.users.admin.email);
    const file = JSON.stringify([
      { id: 'a', title: 'Reset a password', body: 'Steps.', url: 'javascript:alert(1)' },
      { id: 'b', title: 'Export invoices', body: 'Steps.', url: 'data:text/html,x' },
      { id: 'c', title: 'Change plan', body: 'Steps.', url: 'https://help.test/c' },
    ]);
    const summary = await admin.kb.import({
      source: 'help-centre',
      files: [{ name: 'export.json', base64: Buffer.from(file).toString('base64') }],
    });
    expect(summary.created).toBe(1);
    expect(summary.rejected).toEqual([
      { ref: 'export.json #1', reason: 'externalUrl: must be an http:// or https:// URL' },
      { ref: 'export.json #2', reason: 'externalUrl: must be an http:// or https:// URL' },
    ]);
    expect(await count('kb_articles')).toBe(1);
  });
});
