/**
 * The address rate limits count a request against. Behind a reverse proxy the socket shows the
 * proxy, which would make a per-address limit one limit for everybody; with `trustProxy` the
 * proxy's own entry in X-Forwarded-For (the last one: earlier entries are whatever the client
 * sent) is used instead. Never trust the header without a proxy that sets it.
 */
export function clientIp(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  trustProxy: boolean,
): string {
  if (trustProxy && forwardedFor) {
    const last = forwardedFor.split(',').at(-1)?.trim();
    if (last) return last.slice(0, 64);
  }
  return socketAddress ?? 'unknown';
}
