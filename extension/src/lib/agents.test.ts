import type { AgentEntry } from '@deskwatch/shared';
import { describe, expect, it } from 'vitest';
import { AGENTS_MAX_AGE_MS, cachedAgents, type AgentCache } from './agents';

const ana: AgentEntry = {
  userId: 'u1',
  name: 'Ana',
  email: 'ana@x.test',
  role: 'agent',
  aliases: [],
};
const bo: AgentEntry = { ...ana, userId: 'u2', name: 'Bo', email: 'bo@x.test' };
const SERVER = 'https://deskwatch.test';

function store(initial: AgentCache | null) {
  let c = initial;
  let fetches = 0;
  return {
    get cache() {
      return c;
    },
    get fetches() {
      return fetches;
    },
    opts(
      now: number,
      fetch: () => Promise<AgentEntry[]>,
      extra: { force?: boolean; serverUrl?: string } = {},
    ) {
      return {
        serverUrl: extra.serverUrl ?? SERVER,
        now,
        force: extra.force ?? false,
        load: async () => c,
        save: async (x: AgentCache) => void (c = x),
        fetch: () => {
          fetches++;
          return fetch();
        },
      };
    },
  };
}

describe('cachedAgents', () => {
  it('uses the cached list while it is fresh, and asks again once it is a few minutes old', async () => {
    const s = store({ serverUrl: SERVER, fetchedAt: 1_000, agents: [ana] });
    expect(await cachedAgents(s.opts(1_000 + AGENTS_MAX_AGE_MS - 1, async () => [bo]))).toEqual([
      ana,
    ]);
    expect(s.fetches).toBe(0);
    expect(await cachedAgents(s.opts(1_000 + AGENTS_MAX_AGE_MS, async () => [bo]))).toEqual([bo]);
    expect(s.cache).toEqual({
      serverUrl: SERVER,
      fetchedAt: 1_000 + AGENTS_MAX_AGE_MS,
      agents: [bo],
    });
  });

  it('asks at pairing even when fresh, and never uses another server’s list', async () => {
    const s = store({ serverUrl: SERVER, fetchedAt: 1_000, agents: [ana] });
    expect(await cachedAgents(s.opts(1_001, async () => [bo], { force: true }))).toEqual([bo]);
    const other = store({ serverUrl: 'https://other.test', fetchedAt: 1_000, agents: [ana] });
    expect(
      await cachedAgents(other.opts(1_001, () => Promise.reject(new Error('offline')))),
    ).toEqual([]);
  });

  it('keeps the last list when the server cannot be reached', async () => {
    const s = store({ serverUrl: SERVER, fetchedAt: 0, agents: [ana] });
    const offline = () => Promise.reject(new Error('offline'));
    expect(await cachedAgents(s.opts(AGENTS_MAX_AGE_MS * 3, offline))).toEqual([ana]);
    expect(await cachedAgents(store(null).opts(0, offline))).toEqual([]);
  });
});
