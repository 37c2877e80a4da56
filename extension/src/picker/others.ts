/** A ticket of the same tool, fetched in the background to check the draft on it. */
export interface OtherTicket {
  url: string;
  id: string;
  doc: Document;
}

/** Same-origin links of `doc` whose URL is a ticket page (per `idOf`) other than `skipId`, by id. */
function ticketLinks(doc: Document, base: string, idOf: (href: string) => string | null) {
  const out = new Map<string, string>();
  for (const a of doc.querySelectorAll('a[href]')) {
    let href: URL;
    try {
      href = new URL(a.getAttribute('href')!, base);
    } catch {
      continue;
    }
    if (href.origin !== new URL(base).origin) continue;
    href.hash = '';
    const id = idOf(href.href);
    if (id && !out.has(id)) out.set(id, href.href);
  }
  return out;
}

async function fetchDoc(url: string, signal: AbortSignal): Promise<Document> {
  const res = await fetch(url, { credentials: 'same-origin', signal });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return new DOMParser().parseFromString(await res.text(), 'text/html');
}

/**
 * Up to `want` other tickets of the tool: linked from this page, else from the pages it links
 * to on the same site (the ticket list), fetched and parsed as the tool serves them. Tools that
 * draw their pages with scripts show nothing this way: the panel then asks the admin to open
 * two other tickets.
 */
export async function otherTickets(
  here: Document,
  url: string,
  idOf: (href: string) => string | null,
  signal: AbortSignal,
  want = 3,
): Promise<OtherTicket[]> {
  const current = idOf(url);
  const found = ticketLinks(here, url, idOf);
  found.delete(current ?? '');
  if (found.size < want) {
    const origin = new URL(url).origin;
    const pages = [...here.querySelectorAll('a[href]')]
      .map((a) => {
        try {
          return new URL(a.getAttribute('href')!, url).href;
        } catch {
          return null;
        }
      })
      .filter((h): h is string => !!h && h.startsWith(origin) && !idOf(h) && h !== url);
    for (const page of [...new Set(pages)].slice(0, 4)) {
      if (found.size >= want) break;
      const doc = await fetchDoc(page, signal).catch(() => null);
      if (!doc) continue;
      for (const [id, href] of ticketLinks(doc, page, idOf))
        if (id !== current && !found.has(id)) found.set(id, href);
    }
  }
  const picked = [...found].slice(0, want);
  const docs = await Promise.all(
    picked.map(async ([id, href]) => {
      const doc = await fetchDoc(href, signal).catch(() => null);
      return doc ? { url: href, id, doc } : null;
    }),
  );
  return docs.filter((d): d is OtherTicket => d !== null);
}
