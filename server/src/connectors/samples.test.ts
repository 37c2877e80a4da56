import { describe, expect, it } from 'vitest';
import { applyUpdate } from './apply.js';
import { TOOLS } from './index.js';
import type { AnyTool } from './types.js';

/** Settings each tool accepts, as an admin would enter them. */
const SETTINGS: Record<string, unknown> = {
  zendesk: { subdomain: 'acme' },
  github: {},
  gitlab: {},
  'jira-service-management': { site: 'https://acme.atlassian.net' },
  zammad: { baseUrl: 'https://support.acme.example' },
  chatwoot: { baseUrl: 'https://chat.acme.example' },
  'help-scout': {},
  freshdesk: { subdomain: 'acme' },
  freshservice: { subdomain: 'acme' },
  generic: {
    signature: { header: 'X-Signature', scheme: 'hmac-sha256-hex' },
    mapping:
      '{"externalId": "T-1", "url": "https://tool.example/t/1", "status": "Open", "statusCategory": "open", "createdAt": at, "updatedAt": at}',
  },
};

describe('"send a test event" of every tool', () => {
  const now = Date.parse('2026-03-29T00:30:00Z');
  for (const [id, t] of Object.entries(TOOLS)) {
    const tool = t as AnyTool;
    // Polled tools (Redmine, ServiceNow, ServiceDesk Plus) send nothing: their intake refuses every
    // delivery, whatever it is signed with (poller.test.ts tests them). Zendesk is polled for its
    // backfill and sends webhooks too.
    if ('poll' in tool && !tool.webhooksToo) {
      it(`${id}: is polled, and its webhook intake refuses any delivery`, () => {
        const req = { headers: new Headers(), body: '{}', receivedAt: now };
        const verdict = tool.verify(req, 'the-shared-secret', now, {} as never);
        expect(verdict).toMatchObject({
          ok: false,
          reason: expect.stringMatching(/polls its API/),
        });
      });
      continue;
    }
    it(`${id}: its sample is verified with the secret, refused with another, and reads as a valid update`, async () => {
      const config = tool.config.parse(SETTINGS[id]);
      const s = tool.sample(config, now);
      const req = { headers: s.sign('the-shared-secret', now), body: s.body, receivedAt: now };
      expect(tool.verify(req, 'the-shared-secret', now, config)).toEqual({ ok: true });
      expect(tool.verify(req, 'another-secret', now, config).ok).toBe(false);
      const parsed = await tool.parse(req, config);
      expect(parsed.deliveryId.length).toBeGreaterThan(0);
      for (const u of parsed.updates)
        expect(applyUpdate(null, u, tool.source)).not.toHaveProperty('error');
    });
  }

  it('covers every tool', () => {
    const webhookTools = Object.entries(TOOLS).filter(([, t]) => !('poll' in t) || t.webhooksToo);
    expect(Object.keys(SETTINGS).sort()).toEqual(webhookTools.map(([id]) => id).sort());
    expect(webhookTools.length).toBeLessThan(Object.keys(TOOLS).length);
  });
});
