import { z } from 'zod';
import { github } from './github.js';
import { redmine } from './redmine.js';
import { sdp } from './sdp.js';
import { servicenow } from './servicenow.js';
import type { ConnectorTool } from './types.js';
import { zendesk } from './zendesk.js';

/** Every tool a connector can be set up for, by id. */
export const TOOLS: Record<string, ConnectorTool<never>> = {
  zendesk: zendesk as ConnectorTool<never>,
  github: github as ConnectorTool<never>,
  redmine: redmine as ConnectorTool<never>,
  servicenow: servicenow as ConnectorTool<never>,
  sdp: sdp as ConnectorTool<never>,
};
export const TOOL_IDS = Object.keys(TOOLS) as [string, ...string[]];

/** A connector's id, as it appears in its webhook URL. */
export const connectorId = z.string().regex(/^[\w-]{8,32}$/);
