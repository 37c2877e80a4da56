import { z } from 'zod';
import { chatwoot } from './chatwoot.js';
import { freshdesk, freshservice } from './freshworks.js';
import { generic } from './generic.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import { helpScout } from './help-scout.js';
import { jira } from './jira.js';
import { redmine } from './redmine.js';
import { sdp } from './sdp.js';
import { servicenow } from './servicenow.js';
import type { AnyTool } from './types.js';
import { zammad } from './zammad.js';
import { zendesk } from './zendesk.js';

/** Every tool a connector can be set up for, by id. */
export const TOOLS: Record<string, AnyTool<never>> = {
  zendesk: zendesk as AnyTool<never>,
  github: github as AnyTool<never>,
  gitlab: gitlab as AnyTool<never>,
  'jira-service-management': jira as AnyTool<never>,
  zammad: zammad as AnyTool<never>,
  chatwoot: chatwoot as AnyTool<never>,
  'help-scout': helpScout as AnyTool<never>,
  freshdesk: freshdesk as AnyTool<never>,
  freshservice: freshservice as AnyTool<never>,
  generic: generic as AnyTool<never>,
  redmine: redmine as AnyTool<never>,
  servicenow: servicenow as AnyTool<never>,
  sdp: sdp as AnyTool<never>,
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
