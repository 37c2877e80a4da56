import { describe, expect, it, vi } from 'vitest';
import { pushSupport, subscribeFailure, within, type BrowserFacts } from './support';

const chrome: BrowserFacts = {
  serviceWorker: true,
  pushManager: true,
  notification: true,
  permission: 'default',
  userAgent: 'Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile Safari/537.36',
  maxTouchPoints: 5,
  standalone: false,
};
const iphoneSafari: BrowserFacts = {
  ...chrome,
  pushManager: false,
  notification: false,
  permission: null,
  userAgent:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1',
};

describe('pushSupport', () => {
  it('is ready where the browser has push and nothing is blocked', () => {
    expect(pushSupport(chrome)).toEqual({ state: 'ready' });
  });
  it('tells an iPhone user to add the app to the Home Screen first', () => {
    const s = pushSupport(iphoneSafari);
    expect(s.state).toBe('ios-install');
    expect('text' in s && s.text).toMatch(/Add to Home Screen/);
  });
  it('counts an iPad asking for the desktop site as iOS', () => {
    const ipad = { ...iphoneSafari, userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)' };
    expect(pushSupport(ipad).state).toBe('ios-install');
  });
  it('is ready on iOS once opened from the Home Screen', () => {
    expect(
      pushSupport({ ...iphoneSafari, standalone: true, pushManager: true, notification: true }),
    ).toEqual({
      state: 'ready',
    });
  });
  it('says a browser without push cannot get notifications', () => {
    expect(pushSupport({ ...chrome, pushManager: false }).state).toBe('unsupported');
  });
  it('says notifications are blocked before anyone taps', () => {
    expect(pushSupport({ ...chrome, permission: 'denied' }).state).toBe('denied');
  });
});

describe('subscribeFailure', () => {
  it('reads the incognito refusal as blocked', () => {
    const err = Object.assign(new Error('Registration failed - permission denied'), {
      name: 'NotAllowedError',
    });
    expect(subscribeFailure(err).state).toBe('denied');
  });
  it('tells a window without push (incognito) apart from a blocked permission', () => {
    const err = Object.assign(new Error('Registration failed - permission denied'), {
      name: 'AbortError',
    });
    expect(subscribeFailure(err, 'granted').state).toBe('no-push');
  });
  it('reads an unreachable push service as such', () => {
    const err = Object.assign(new Error('Registration failed - push service not available'), {
      name: 'AbortError',
    });
    expect(subscribeFailure(err).state).toBe('unreachable');
    expect(subscribeFailure(new Error('The push service timed out')).state).toBe('unreachable');
  });
});

describe('within', () => {
  it('gives up on a subscription that never answers', async () => {
    vi.useFakeTimers();
    try {
      const waiting = within(new Promise(() => undefined), 12_000);
      const check = expect(waiting).rejects.toThrow('timed out');
      await vi.advanceTimersByTimeAsync(12_000);
      await check;
    } finally {
      vi.useRealTimers();
    }
  });
});
