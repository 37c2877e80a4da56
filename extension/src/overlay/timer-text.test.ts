import { describe, expect, it } from 'vitest';
import { timerText } from './timer-text';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MIN = 60_000;

describe('timerText', () => {
  it('writes time past due without a minus sign', () => {
    expect(timerText({ status: 'breached', elapsedMs: 0, remainingMs: -598_000 })).toBe(
      '9m 58s over',
    );
    expect(
      timerText({ status: 'breached', elapsedMs: 0, remainingMs: -(18 * 3600 + 2 * 60) * 1000 }),
    ).toBe('18h 02m 00s over');
    expect(
      timerText({ status: 'breached', elapsedMs: 0, remainingMs: -(DAY + 16 * HOUR + 1 * MIN) }),
    ).toBe('1d 16h 01m over');
  });
  it('says "due now" within the second of the due instant, on either side', () => {
    for (const remainingMs of [0, 999, -1, -999])
      expect(timerText({ status: 'running', elapsedMs: 0, remainingMs })).toBe('due now');
    expect(timerText({ status: 'paused', elapsedMs: 0, remainingMs: 0 })).toBe('due now');
    expect(timerText({ status: 'breached', elapsedMs: 0, remainingMs: -500 })).toBe('due now');
  });
  it('counts whole seconds again one second either side of the due instant', () => {
    expect(timerText({ status: 'running', elapsedMs: 0, remainingMs: 1000 })).toBe('0m 01s left');
    expect(timerText({ status: 'breached', elapsedMs: 0, remainingMs: -1000 })).toBe('0m 01s over');
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
