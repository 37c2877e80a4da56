import { describe, expect, it } from 'vitest';
import { timerText } from './timer-text';

describe('timerText', () => {
  it('writes time past due without a minus sign', () => {
    expect(timerText({ status: 'breached', elapsedMs: 0, remainingMs: -598_000 })).toBe(
      '9m 58s over',
    );
    expect(
      timerText({ status: 'breached', elapsedMs: 0, remainingMs: -(18 * 3600 + 2 * 60) * 1000 }),
    ).toBe('18h 02m 00s over');
  });
  it('writes time left and time taken', () => {
    expect(timerText({ status: 'running', elapsedMs: 0, remainingMs: 2_527_000 })).toBe(
      '42m 07s left',
    );
    expect(timerText({ status: 'met', elapsedMs: 3_909_000, remainingMs: 5 })).toBe(
      'took 1h 05m 09s',
    );
  });
});
