import { z } from 'zod';

/**
 * Outgoing webhooks of a path level (issue #19): the second channel beside web push. A level's
 * webhook gets each page of that level in the format its receiver understands.
 */
export const WEBHOOK_FORMATS = ['slack', 'teams', 'json'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

const id = z.string().min(1).max(64);

export const pathWebhookInput = z.strictObject({
  pathId: id,
  /** The level's index in the path (0 is the first level). */
  level: z.int().min(0).max(9),
  name: z.string().trim().min(1).max(120),
  /** Checked again by the server (https, no credentials, public addresses only). */
  url: z.url({ protocol: /^https$/ }).max(2000),
  format: z.enum(WEBHOOK_FORMATS),
});
export type PathWebhookInput = z.input<typeof pathWebhookInput>;

export const webhookIdInput = z.strictObject({ webhookId: id });

/** What a page tells a webhook: the same facts its push carries. */
export interface WebhookMessage {
  pageId: string;
  kind: string;
  urgency: 'high' | 'low';
  title: string;
  body: string;
  level: number;
  round: number;
  /** Where to open the page in Deskwatch. */
  url: string;
  /** When the page reached this level (epoch ms). */
  at: number;
}

/** Slack reads `&`, `<` and `>` as markup in mrkdwn: escaped, the ticket's text stays text. */
const slackText = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A Slack incoming-webhook body: `text` for notifications, blocks for the message itself.
 * @example slackPayload(m).text // 'High urgency: Ticket 42 breached'
 */
export function slackPayload(m: WebhookMessage) {
  const head = `${m.urgency === 'high' ? 'High' : 'Low'} urgency: ${slackText(m.title)}`;
  return {
    text: head,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${head}*\n${slackText(m.body)}` } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Level ${m.level + 1}, round ${m.round + 1} · <${m.url}|Open in Deskwatch>`,
          },
        ],
      },
    ],
  };
}

/**
 * A Microsoft Teams incoming-webhook body (Workflows' "post to a channel when a webhook request
 * is received"): a message with one Adaptive Card attachment, as Teams documents it.
 */
export function teamsPayload(m: WebhookMessage) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              text: m.title,
              weight: 'Bolder',
              size: 'Medium',
              wrap: true,
              ...(m.urgency === 'high' ? { color: 'Attention' } : {}),
            },
            { type: 'TextBlock', text: m.body, wrap: true },
            {
              type: 'FactSet',
              facts: [
                { title: 'Urgency', value: m.urgency },
                { title: 'Level', value: `${m.level + 1} (round ${m.round + 1})` },
              ],
            },
          ],
          actions: [{ type: 'Action.OpenUrl', title: 'Open in Deskwatch', url: m.url }],
        },
      },
    ],
  };
}

/** The generic JSON body; receivers check its signature (see the README's on-call section). */
export function jsonPayload(m: WebhookMessage) {
  return {
    type: 'page.notified',
    page: {
      id: m.pageId,
      kind: m.kind,
      urgency: m.urgency,
      title: m.title,
      body: m.body,
      level: m.level,
      round: m.round,
      url: m.url,
    },
    at: new Date(m.at).toISOString(),
  };
}

/** The body a webhook of `format` gets for `m`, as sent (JSON text). */
export function webhookBody(format: WebhookFormat, m: WebhookMessage): string {
  const build = { slack: slackPayload, teams: teamsPayload, json: jsonPayload }[format];
  return JSON.stringify(build(m));
}
