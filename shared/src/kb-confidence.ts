/**
 * Below this confidence the best suggested article holds less than a fifth of what the ticket is
 * about (by its terms' weight): the panel then says there is no good match. Chosen on the
 * development halves of every set together (bench/kb-eval/README.md): at 0.5 the panel hid
 * right answers for a quarter to a third of the queries of every set, at 0.2 for at most 3% of
 * short queries (a third of long forum posts still: the measure is a weak signal there).
 */
export const WEAK_CONFIDENCE = 0.2;

/**
 * What the knowledge-base panel shows for a list of suggestions: nothing yet, no article at all,
 * no good match (the best one's confidence is weak), or the list.
 *
 * @example matchState([{ confidence: 0.2 }]) // 'weak'
 */
export function matchState(
  list: readonly { confidence: number }[] | null,
): 'loading' | 'none' | 'weak' | 'good' {
  if (!list) return 'loading';
  if (!list.length) return 'none';
  return list[0]!.confidence < WEAK_CONFIDENCE ? 'weak' : 'good';
}
