import type { ReactNode } from 'react';
import type { z } from 'zod';

/** Field-level messages of a zod schema's check, by the first key of each issue's path. */
export function fieldErrors(schema: z.ZodType, value: unknown): Record<string, string> {
  const res = schema.safeParse(value);
  if (res.success) return {};
  const out: Record<string, string> = {};
  for (const i of res.error.issues) {
    const key = String(i.path[0] ?? '');
    out[key] ??= i.message;
  }
  return out;
}

/**
 * A labelled field with its message underneath, in a line kept whether or not there is a
 * message: a message appearing as someone types never moves what lies below (buttons included).
 */
export function Field({
  label,
  message,
  children,
}: {
  label: string;
  message?: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label>
        {label} {children}
      </label>
      <span className="field-message" aria-live="polite">
        {message ?? ''}
      </span>
    </div>
  );
}
