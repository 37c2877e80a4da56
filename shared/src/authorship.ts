/**
 * Who counts as the customer when a page does not mark agents' messages. Pure: the adapter reads
 * the author's text, this decides.
 */

const norm = (s: string | null | undefined) => s?.replace(/\s+/g, ' ').trim().toLowerCase() || null;
const EMAIL = /[^\s<>()"',;]+@[^\s<>()"',;]+\.[^\s<>()"',;]+/g;

/** The forms an author's text may name someone by: the whole text, and each e-mail address in it ("Ana <ana@x.org>"). */
function formsOf(author: string): string[] {
  const whole = norm(author)!;
  const emails = whole.match(EMAIL) ?? [];
  const name = norm(whole.replace(EMAIL, '').replace(/[<>()"]/g, ''));
  return [whole, ...emails, ...(name ? [name] : [])];
}

/**
 * A rule deciding from a message's author text whether it is the customer's.
 * - `not-agent`: anyone not in the workspace's agent list (names, e-mails and aliases, compared
 *   without case) is a customer, so a second customer writing in is a customer too and a ticket
 *   created by an agent on a customer's behalf still starts with the customer's message.
 * - `requester`: the author is the requester, by name or by e-mail.
 *
 * While the agent list is empty (not loaded yet, or the extension is not paired), `not-agent`
 * falls back to the requester rule: an empty list would make every agent a customer.
 */
export function customerRule(
  rule: 'requester' | 'not-agent',
  requester: { name: string | null; email?: string | null },
  agents: readonly string[] | undefined,
): (author: string | null) => boolean {
  if (rule === 'not-agent' && agents && agents.length > 0) {
    const known = new Set(agents.map(norm).filter((a): a is string => a !== null));
    return (author) => !!norm(author) && !formsOf(author!).some((f) => known.has(f));
  }
  const ids = new Set(
    [norm(requester.name), norm(requester.email)].filter((r): r is string => r !== null),
  );
  return (author) => !!norm(author) && formsOf(author!).some((f) => ids.has(f));
}
