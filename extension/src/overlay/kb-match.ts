import { matchState } from '@deskwatch/shared';

/**
 * What the KB panel says above its list. Suggestions for the ticket whose best article is weak
 * are not shown as answers: the panel says there is no good match and offers the search box and
 * "start an article" instead (they stay one click away). What the agent searched is always shown.
 */
export function kbNotice(
  list: readonly { confidence: number }[] | null,
  searched: string | null,
): { kind: 'loading' | 'list' | 'empty' | 'no-good-match'; text: string | null } {
  const state = matchState(list);
  if (state === 'loading') return { kind: 'loading', text: null };
  if (state === 'none')
    return {
      kind: 'empty',
      text: searched ? `No article matches “${searched}”.` : 'No article matches this ticket yet.',
    };
  if (state === 'weak' && !searched)
    return {
      kind: 'no-good-match',
      text: 'No good match: the closest articles hold little of what this ticket is about. Search the knowledge base, or start an article from this ticket.',
    };
  return { kind: 'list', text: null };
}
