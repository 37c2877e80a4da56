import { z } from 'zod';
import { chatwoot } from './chatwoot.js';
import { freshdesk, freshservice } from './freshworks.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import { helpScout } from './help-scout.js';
import { jira } from './jira.js';
import type { ConnectorTool } from './types.js';
import { zammad } from './zammad.js';
import { zendesk } from './zendesk.js';

/** Every tool a connector can be set up for, by id. */
export const TOOLS: Record<string, ConnectorTool<never>> = {
  zendesk: zendesk as ConnectorTool<never>,
  github: github as ConnectorTool<never>,
  gitlab: gitlab as ConnectorTool<never>,
  'jira-service-management': jira as ConnectorTool<never>,
  zammad: zammad as ConnectorTool<never>,
  chatwoot: chatwoot as ConnectorTool<never>,
  'help-scout': helpScout as ConnectorTool<never>,
  freshdesk: freshdesk as ConnectorTool<never>,
  freshservice: freshservice as ConnectorTool<never>,
};
export const TOOL_IDS = Object.keys(TOOLS) as [string, ...string[]];

/** Headers that carry a delivery's id, for one whose body cannot be read. */
export const DELIVERY_HEADERS: string[] = [
  'x-gitlab-event-uuid',
  'x-atlassian-webhook-identifier',
  'x-zammad-delivery',
  'x-chatwoot-delivery',
];

/** A connector's id, as it appears in its webhook URL. */
export const connectorId = z.string().regex(/^[\w-]{8,32}$/);
