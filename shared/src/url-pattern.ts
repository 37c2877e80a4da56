// URL patterns of adapters described as data, without validation code (it runs in pages).

/** The default shape of a ticket id in a URL: one path segment or query value. */
export const DEFAULT_ID_PATTERN = '[^/?#&]+';

/**
 * Compiles a URL pattern to a regular expression with an `id` group. In the host, `*` is one
 * label and `**` any host (with its port); in the path, `*` is one segment and `**` one or more.
 * `:id` is where the ticket id is, shaped by `idPattern`. Pure; also used by the server to check
 * examples.
 */
export function urlPatternRegex(pattern: string, idPattern: string = DEFAULT_ID_PATTERN): RegExp {
  const u = pattern.match(/^(https?):\/\/([^/]+)(\/.*)$/);
  if (!u) throw new Error(`not a URL pattern: ${pattern}`);
  const esc = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  // `**` first, through a placeholder that no escaped text contains.
  const host = esc(u[2]!)
    .replaceAll('**', '\u2063')
    .replaceAll('*', '[^./:]+')
    .replaceAll('\u2063', '[^/]+');
  const path = esc(u[3]!)
    .replaceAll('**', '\u2063')
    .replaceAll('*', '[^/?#]+')
    .replaceAll('\u2063', '[^?#]+')
    .replace(':id', `(?<id>${idPattern})`);
  return new RegExp(`^${u[1]}://${host}${path}/?(?:[?#&].*)?$`);
}

/** The ticket id in `url` under any of the patterns, or null. */
export function matchTicketUrl(
  patterns: readonly string[],
  url: string,
  idPattern?: string,
): string | null {
  for (const p of patterns) {
    const id = url.match(urlPatternRegex(p, idPattern))?.groups?.id;
    if (id) return decodeURIComponent(id);
  }
  return null;
}

/** Checks that every example matches the way the adapter says (ticket pages yes, others no). */
export function exampleMismatches(spec: {
  urlPattern: string;
  alsoUrlPatterns?: readonly string[];
  idPattern?: string;
  examples: { ticket: string[]; notTicket: string[] };
}): string[] {
  const patterns = [spec.urlPattern, ...(spec.alsoUrlPatterns ?? [])];
  const matches = (u: string) => matchTicketUrl(patterns, u, spec.idPattern) !== null;
  return [
    ...spec.examples.ticket
      .filter((u) => !matches(u))
      .map((u) => `${u} should be a ticket page but does not match ${patterns.join(' or ')}`),
    ...spec.examples.notTicket
      .filter((u) => matches(u))
      .map((u) => `${u} should not be a ticket page but matches ${patterns.join(' or ')}`),
  ];
}
