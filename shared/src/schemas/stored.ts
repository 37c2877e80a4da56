import type { z } from 'zod';

/**
 * Parses a value this software stored earlier (a calendar, a policy, an adapter) with an input
 * schema, forgiving only keys the schema does not know. Input schemas are strict, so that a
 * request with a misspelt key is refused; a stored row is not a request, and one written by
 * another version (a field since removed) must still be read. Any other problem still throws.
 * @example parseStored(calendarSpec, JSON.parse(row.specJson))
 */
export function parseStored<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const copy: unknown = structuredClone(value);
  // Each pass removes the keys one object level reports; nested levels surface on later passes.
  for (let pass = 0; pass < 10; pass++) {
    const r = schema.safeParse(copy);
    if (r.success) return r.data;
    const issues = r.error.issues;
    if (!issues.every((i) => i.code === 'unrecognized_keys')) throw r.error;
    for (const issue of issues) {
      let at: unknown = copy;
      for (const step of issue.path) at = (at as Record<PropertyKey, unknown>)[step];
      for (const key of issue.keys) delete (at as Record<string, unknown>)[key];
    }
  }
  return schema.parse(copy);
}
