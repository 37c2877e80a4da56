import { EventEmitter } from 'node:events';

export interface EscalationChanged {
  workspaceId: string;
  ticketId: string;
  escalationId: string;
}

/**
 * In-process notifications so that SSE watchers wake at once. Nothing depends on it for
 * correctness: watchers also re-read the database on a short interval, so a change made by
 * another server instance on the same database arrives too.
 */
export class Bus extends EventEmitter<{ escalation: [EscalationChanged] }> {
  constructor() {
    super();
    this.setMaxListeners(0);
  }
}
