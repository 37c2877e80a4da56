// URL patterns of taught adapters, without validation code (it runs in pages).

/** Compiles a URL pattern to a regular expression with an `id` group. Pure; also used by the server to check examples. */
export function urlPatternRegex(pattern: string): RegExp {
  const u = pattern.match(/^(https?):\/\/([^/]+)(\/.*)$/);
  if (!u) throw new Error(`not a URL pattern: ${pattern}`);
  const esc = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const host = esc(u[2]!).replace(/\*/g, '[^./]+');
  const path = esc(u[3]!).replace(/\*/g, '[^/]+').replace(':id', '(?<id>[^/?#]+)');
  return new RegExp(`^${u[1]}://${host}${path}/?(?:[?#].*)?$`);
}

/** Checks that every example matches the way the adapter says (ticket pages yes, others no). */
export function exampleMismatches(spec: {
  urlPattern: string;
  examples: { ticket: string[]; notTicket: string[] };
}): string[] {
  const re = urlPatternRegex(spec.urlPattern);
  return [
    ...spec.examples.ticket
      .filter((u) => !re.test(u))
      .map((u) => `${u} should be a ticket page but does not match ${spec.urlPattern}`),
    ...spec.examples.notTicket
      .filter((u) => re.test(u))
      .map((u) => `${u} should not be a ticket page but matches ${spec.urlPattern}`),
  ];
}
