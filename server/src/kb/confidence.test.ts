import { afterEach, beforeEach, expect, it } from 'vitest';
import { testEnv } from '../testing.js';
import { termWeight, WEAK_CONFIDENCE } from './suggest.js';

let env: Awaited<ReturnType<typeof testEnv>>;
beforeEach(async () => {
  env = await testEnv();
});
afterEach(() => env.close());

const article = (key: string, title: string, body: string) => ({
  ref: key,
  data: { sourceKey: key, title, body },
});

it('weighs a rare term above a common one, and a term no article holds the most', () => {
  expect(termWeight(0, 1000)).toBeGreaterThan(termWeight(3, 1000));
  expect(termWeight(3, 1000)).toBeGreaterThan(termWeight(500, 1000));
  expect(termWeight(1000, 1000)).toBeLessThan(0.01 + Math.log(2));
});

it('is confident when the best article holds what the ticket is about, and not when it holds only a side word', async () => {
  await env.services.kb.articles.import(env.a.id, 'help', [
    article(
      'vpn',
      'VPN keeps disconnecting',
      'Reconnect the VPN client and renew the office certificate.',
    ),
    article('vpn2', 'Install the VPN client', 'Download the VPN client from the office portal.'),
    article('printer', 'Printer offline', 'Turn the office printer off and on.'),
    article('pay', 'Payslip missing', 'Payslips appear in the HR portal on the 25th.'),
  ]);
  const engine = env.services.kb.engine;
  await engine.warm();
  // A parking-permit ticket: only "office" is in the knowledge base.
  const parking = await engine.suggest(env.a.id, {
    subject: 'Parking permit for the office garage',
    message: 'My parking permit expired, whom do I ask for another one?',
  });
  expect(parking.suggestions.length).toBeGreaterThan(0);
  expect(parking.suggestions[0]!.confidence).toBeLessThan(WEAK_CONFIDENCE);

  const vpn = await engine.suggest(env.a.id, {
    subject: 'VPN disconnecting',
    message: 'The VPN client keeps disconnecting every hour.',
  });
  expect(vpn.suggestions[0]!.id).toBeDefined();
  expect(vpn.suggestions[0]!.title).toBe('VPN keeps disconnecting');
  expect(vpn.suggestions[0]!.confidence).toBeGreaterThanOrEqual(WEAK_CONFIDENCE);
  // A share of the ticket's weight: never above 1.
  for (const s of vpn.suggestions) expect(s.confidence).toBeLessThanOrEqual(1);
});
