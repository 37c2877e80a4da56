import { afterEach, beforeEach, expect, it } from 'vitest';
import { seedDemoMetricsHistory } from './metrics-demo.js';
import { testEnv } from './testing.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => (env = await testEnv()));
afterEach(() => env.close());

it('seeds a month the glance shows real numbers for, through the event log', async () => {
  const n = await seedDemoMetricsHistory(env.services, env.a.id, 'http://127.0.0.1:8787');
  expect(n).toBeGreaterThan(150);
  const events = await env.client.execute({
    sql: 'SELECT count(DISTINCT ticket_id) FROM ticket_events WHERE workspace_id = ?',
    args: [env.a.id],
  });
  expect(Number(events.rows[0]![0])).toBe(n);
  const manager = await env.as(env.a.users.manager.email);
  const g = await manager.metrics.glance({ period: '30d', timeZone: 'UTC' });
  const v = Object.fromEntries(g.cards.map((c) => [c.metric, c.value]));
  for (const m of ['first_response', 'resolution', 'compliance', 'created', 'solved'])
    expect(v[m], m).toBeGreaterThan(0);
  expect(v.compliance).toBeLessThan(1); // some targets were missed: a month is never perfect
  expect(g.cards.find((c) => c.metric === 'created')!.series).toHaveLength(30);
  // The same seed gives the same month.
  const again = await seedDemoMetricsHistory(env.services, env.b.id, 'http://127.0.0.1:8787');
  expect(again).toBe(n);
});
