import { describe, expect, it } from 'vitest';
import { clientIp } from './client-ip.js';

describe('clientIp', () => {
  it('uses the socket unless told that a proxy sets X-Forwarded-For', () => {
    expect(clientIp('127.0.0.1', '203.0.113.9', false)).toBe('127.0.0.1');
    expect(clientIp(undefined, undefined, false)).toBe('unknown');
  });

  it("behind a trusted proxy, takes the proxy's entry, not what the client wrote before it", () => {
    expect(clientIp('127.0.0.1', '6.6.6.6, 203.0.113.9', true)).toBe('203.0.113.9');
    expect(clientIp('127.0.0.1', '203.0.113.9', true)).toBe('203.0.113.9');
    expect(clientIp('127.0.0.1', undefined, true)).toBe('127.0.0.1');
  });
});
