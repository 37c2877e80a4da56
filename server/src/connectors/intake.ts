import type { AnyTool } from './types.js';

/**
 * How a tool's tickets reach Deskwatch: it sends webhooks, Deskwatch reads its API with a token
 * (`poller.ts`), or both (Zendesk: webhooks from triggers, the export API for the backfill).
 */
export type Intake = 'webhook' | 'poll' | 'both';

/** The intake a tool offers, from what its file declares. */
export function intakeOf(tool: Pick<AnyTool, 'poll' | 'webhooksToo'> | undefined): Intake {
  if (tool?.poll === undefined) return 'webhook';
  return tool.webhooksToo ? 'both' : 'poll';
}
