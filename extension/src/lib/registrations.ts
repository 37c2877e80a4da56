/**
 * The overlay's dynamic content-script registrations, derived from what the extension keeps in
 * storage (the enabled sites and the paired server). The browser's registrations are a cache:
 * they are not reliably kept across restarts for unpacked extensions and are wiped on updates,
 * so they are compared with the stored list at every worker start and brought in line.
 */

/** Registrations Deskwatch owns; anything else registered is left alone. */
export const SITE_PREFIX = 'deskwatch-site:';
export const DEMO_DESK_ID = 'deskwatch-demo-desk';

export interface Registration {
  id: string;
  matches: string[];
}

/** Match patterns carry no port, so the Demo Desk pattern covers its host on any port. */
export const demoDeskPattern = (serverUrl: string) => {
  const u = new URL(serverUrl);
  return `${u.protocol}//${u.hostname}/demo*`;
};

/**
 * The registrations wanted: one per enabled site (its host pattern), plus the Demo Desk of the
 * paired server.
 *
 * @example wantedRegistrations(['https://desk.example.com/*'], null)
 * // [{ id: 'deskwatch-site:https://desk.example.com/*', matches: ['https://desk.example.com/*'] }]
 */
export function wantedRegistrations(sites: string[], pairedServer: string | null): Registration[] {
  const wanted = [...new Set(sites)].map((p) => ({ id: `${SITE_PREFIX}${p}`, matches: [p] }));
  if (pairedServer) wanted.push({ id: DEMO_DESK_ID, matches: [demoDeskPattern(pairedServer)] });
  return wanted;
}

const ours = (id: string) => id === DEMO_DESK_ID || id.startsWith(SITE_PREFIX);
const sameMatches = (a: string[] | undefined, b: string[]) =>
  JSON.stringify([...(a ?? [])].sort()) === JSON.stringify([...b].sort());

/**
 * What to change so the browser's registrations equal the wanted ones: register what is missing,
 * unregister what is no longer wanted, and replace a registration whose patterns changed (the
 * Demo Desk after pairing with another server). Registering twice is an error in the browser, so
 * nothing already right is touched; other extensions' parts (ids not ours) are never touched.
 *
 * @example planSync([{ id: 'deskwatch-site:a', matches: ['a'] }], [{ id: 'deskwatch-site:b', matches: ['b'] }])
 * // { unregister: ['deskwatch-site:b'], register: [{ id: 'deskwatch-site:a', matches: ['a'] }] }
 */
export function planSync(
  wanted: Registration[],
  current: { id: string; matches?: string[] }[],
): { unregister: string[]; register: Registration[] } {
  const now = new Map(current.filter((c) => ours(c.id)).map((c) => [c.id, c.matches]));
  const want = new Map(wanted.map((w) => [w.id, w]));
  const stale = [...now].filter(
    ([id, m]) => !want.has(id) || !sameMatches(m, want.get(id)!.matches),
  );
  const unregister = stale.map(([id]) => id);
  const register = wanted.filter((w) => !now.has(w.id) || unregister.includes(w.id));
  return { unregister, register };
}

/**
 * The sites of an install from before the list was stored: they lived only as registrations.
 *
 * @example sitesFromRegistrations([{ id: 'deskwatch-site:https://a.example/*' }]) // ['https://a.example/*']
 */
export function sitesFromRegistrations(current: { id: string }[]): string[] {
  return current
    .filter((s) => s.id.startsWith(SITE_PREFIX))
    .map((s) => s.id.slice(SITE_PREFIX.length))
    .sort();
}
