import { Hono } from 'hono';
import { connectorId } from '../connectors/index.js';
import type { Connectors } from '../connectors/service.js';

/**
 * Webhooks from ticket tools: `POST /hooks/<connector id>`. The tool's signature is the only
 * credential; the body is read raw, since signatures cover its exact bytes.
 */
export function connectorHooks(connectors: Connectors) {
  const app = new Hono();
  app.post('/:id', async (c) => {
    const id = connectorId.safeParse(c.req.param('id'));
    if (!id.success) return c.json({ ok: false, error: 'No such connector' }, 404);
    const body = await c.req.text();
    const answer = await connectors.webhook(id.data, { headers: c.req.raw.headers, body });
    return c.json(answer.body, answer.status);
  });
  return app;
}
