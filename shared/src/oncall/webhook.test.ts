import { describe, expect, it } from 'vitest';
import { pathWebhookInput, webhookBody, type WebhookMessage } from './webhook.js';

const message: WebhookMessage = {
  pageId: 'p1',
  kind: 'sla_alert',
  urgency: 'high',
  title: 'SLA breached: <script>alert(1)</script> & more',
  body: 'first response, due 2026-03-27T09:00:00.000Z',
  level: 1,
  round: 0,
  url: 'https://deskwatch.test/oncall',
  at: Date.parse('2026-03-27T09:00:00Z'),
};

describe('webhook payloads', () => {
  it('Slack: text for the notification, escaped mrkdwn blocks and a link', () => {
    const p = JSON.parse(webhookBody('slack', message));
    expect(p.text).toBe(
      'High urgency: SLA breached: &lt;script&gt;alert(1)&lt;/script&gt; &amp; more',
    );
    expect(p.blocks[0]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${p.text}*\nfirst response, due 2026-03-27T09:00:00.000Z`,
      },
    });
    expect(p.blocks[1].elements[0].text).toBe(
      'Level 2, round 1 · <https://deskwatch.test/oncall|Open in Deskwatch>',
    );
  });

  it('Teams: a message with one Adaptive Card, the title as plain text and an open link', () => {
    const p = JSON.parse(webhookBody('teams', message));
    expect(p.type).toBe('message');
    expect(p.attachments).toHaveLength(1);
    const card = p.attachments[0];
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content.type).toBe('AdaptiveCard');
    expect(card.content.body[0]).toMatchObject({ type: 'TextBlock', text: message.title });
    expect(card.content.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open in Deskwatch', url: message.url },
    ]);
  });

  it('generic JSON: the page with its level, round and instant', () => {
    expect(JSON.parse(webhookBody('json', message))).toEqual({
      type: 'page.notified',
      page: {
        id: 'p1',
        kind: 'sla_alert',
        urgency: 'high',
        title: message.title,
        body: message.body,
        level: 1,
        round: 0,
        url: message.url,
      },
      at: '2026-03-27T09:00:00.000Z',
    });
  });

  it('accepts only https addresses and known formats', () => {
    const ok = {
      pathId: 'p',
      level: 0,
      name: 'Ops',
      url: 'https://hooks.example/x',
      format: 'json',
    };
    expect(pathWebhookInput.safeParse(ok).success).toBe(true);
    expect(pathWebhookInput.safeParse({ ...ok, url: 'http://hooks.example/x' }).success).toBe(
      false,
    );
    expect(pathWebhookInput.safeParse({ ...ok, format: 'email' }).success).toBe(false);
    expect(pathWebhookInput.safeParse({ ...ok, level: 10 }).success).toBe(false);
  });
});
