import type { ReactNode } from 'react';
import { isSafeHttpUrl } from '@deskwatch/shared';

/**
 * A link out of the app (a ticket, a page an adapter met), only ever to an http(s) address.
 * Anything else, such as a `javascript:` URL stored before addresses were checked, is shown as
 * plain text: never a link.
 */
export function ExternalLink({
  href,
  children,
}: {
  href: string | null | undefined;
  children: ReactNode;
}) {
  return isSafeHttpUrl(href) ? (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ) : (
    <span data-unsafe-link="">{children}</span>
  );
}
