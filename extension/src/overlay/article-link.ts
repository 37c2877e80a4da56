import { isSafeHttpUrl } from '@deskwatch/shared';

/**
 * Where a suggested article's link goes: its own http(s) address, else its page on the
 * Deskwatch server, else nowhere (null). An address that is not http(s), such as a
 * `javascript:` URL stored before addresses were checked, is never used.
 */
export function articleLink(
  article: { id: string; externalUrl: string | null },
  serverUrl: string | null,
): string | null {
  if (isSafeHttpUrl(article.externalUrl)) return article.externalUrl;
  const own = serverUrl ? `${serverUrl}/kb/${encodeURIComponent(article.id)}` : null;
  return isSafeHttpUrl(own) ? own : null;
}
