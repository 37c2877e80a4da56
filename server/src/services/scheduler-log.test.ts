import type { Client } from '@libsql/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testClock } from '../testing.js';
import type { Push } from './push.js';
import { createScheduler } from './scheduler.js';
import type { Sla } from './sla.js';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('scheduler during a database outage', () => {
  it('logs the outage once with its count and says when the database is back', async () => {
    vi.useFakeTimers();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const clock = testClock();
    let down = true;
    const client = {
      execute: async () => {
        if (down)
          throw new TypeError('fetch failed', {
            cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8080'), {
              code: 'ECONNREFUSED',
            }),
          });
        return { rows: [] };
      },
    } as unknown as Client;
    const push = { deliverDue: async () => undefined, kick: () => undefined } as unknown as Push;
    const scheduler = createScheduler(client, clock, {} as Sla, push, () => 'http://x');
    scheduler.start(1000);
    for (let i = 0; i < 30; i++) {
      clock.advance(1000);
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0]![0])).toMatch(/^\[scheduler\] tick failed/);
    down = false;
    clock.advance(1000);
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors).toHaveBeenCalledTimes(2);
    expect(errors.mock.calls[1]![0]).toBe('[scheduler] tick recovered after 30 failures in 30 s');
    await scheduler.stop();
  });
});
