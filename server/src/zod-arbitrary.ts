/**
 * Test support: values and fast-check arbitraries read off a zod 4 schema, for the kinds our
 * tRPC inputs use. `zod-fast-check` supports zod 3 only (peer `zod ^3`), and zod 4 keeps its
 * whole definition on `schema._zod.def`, so the walk is short. Refinements (`.refine`,
 * `.superRefine`) cannot be read: generated values may fail them, which fuzzing wants anyway.
 */
import fc from 'fast-check';
import type { z } from 'zod';

type Schema = z.core.$ZodType;
// zod's def types are a union per kind; the walk reads them by their `type` tag.
type Def = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Asked for each object field before its schema: a value list for id-like fields, else nothing. */
export type Ids = (key: string, path: readonly string[]) => readonly unknown[] | undefined;

const def = (s: Schema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

interface StringRules {
  min: number;
  max: number;
  format?: string;
  pattern?: RegExp;
  prefix?: string;
}

function stringRules(d: Def): StringRules {
  const r: StringRules = { min: 0, max: Infinity };
  if (d.format) r.format = d.format;
  if (d.pattern) r.pattern = d.pattern;
  for (const c of d.checks ?? []) {
    const cd = def(c);
    if (cd.check === 'min_length') r.min = Math.max(r.min, cd.minimum);
    if (cd.check === 'max_length') r.max = Math.min(r.max, cd.maximum);
    if (cd.check === 'length_equals') r.min = r.max = cd.length;
    if (cd.check === 'string_format') {
      if (cd.format === 'regex') r.pattern = cd.pattern;
      else if (cd.format === 'starts_with') r.prefix = cd.prefix;
      else r.format = cd.format;
    }
  }
  return r;
}

interface NumberRules {
  min: number;
  max: number;
  int: boolean;
}

function numberRules(d: Def): NumberRules {
  const r: NumberRules = { min: -1e9, max: 1e9, int: false };
  for (const c of d.checks ?? []) {
    const cd = def(c);
    if (cd.check === 'greater_than') r.min = cd.value + (cd.inclusive ? 0 : cd.format ? 1 : 1e-6);
    if (cd.check === 'less_than') r.max = cd.value - (cd.inclusive ? 0 : 1e-6);
    if (cd.check === 'number_format') r.int = true;
  }
  if (r.int) {
    r.min = Math.ceil(r.min);
    r.max = Math.floor(r.max);
  }
  return r;
}

function stringArbitrary(r: StringRules): fc.Arbitrary<string> {
  const maxLength = Math.min(r.max, 60);
  switch (r.format) {
    case 'email':
      return fc.emailAddress();
    case 'url':
      return fc.webUrl({ validSchemes: ['https', 'http'] });
    case 'datetime':
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString());
    case 'date':
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
  }
  if (r.pattern) return fc.stringMatching(r.pattern).filter((s) => s.length <= r.max);
  const body = fc.string({ minLength: Math.min(r.min, maxLength), maxLength, unit: 'grapheme' });
  return r.prefix ? body.map((s) => r.prefix + s) : body;
}

/** An arbitrary of values shaped like `schema`'s input (mostly valid, refinements aside). */
export function arbitraryOf(schema: Schema, ids?: Ids, path: string[] = []): fc.Arbitrary<unknown> {
  const d = def(schema);
  const inner = (s: Schema, p = path) => arbitraryOf(s, ids, p);
  switch (d.type) {
    case 'string':
      return stringArbitrary(stringRules(d));
    case 'number': {
      const r = numberRules(d);
      return r.int
        ? fc.integer({ min: r.min, max: r.max })
        : fc.double({ min: r.min, max: r.max, noNaN: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'literal':
      return fc.constantFrom(...(d.values as unknown[]));
    case 'enum':
      return fc.constantFrom(...Object.values(d.entries as Record<string, unknown>));
    case 'null':
      return fc.constant(null);
    case 'undefined':
      return fc.constant(undefined);
    case 'nullable':
      return fc.option(inner(d.innerType), { nil: null });
    case 'optional':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
      return fc.option(inner(d.innerType), { nil: undefined });
    case 'pipe':
      return inner(d.in);
    case 'lazy':
      return fc.constant(null).chain(() => inner(d.getter()));
    case 'array': {
      const r = stringRules(d); // min/max length checks read the same way
      return fc.array(inner(d.element), {
        minLength: r.min,
        maxLength: Math.min(r.max, Math.max(r.min, 4)),
      });
    }
    case 'tuple':
      return fc.tuple(...(d.items as Schema[]).map((s) => inner(s)));
    case 'union':
      return fc.oneof(...(d.options as Schema[]).map((s) => inner(s)));
    case 'record': {
      const keys = def(d.keyType);
      if (keys.type === 'enum') {
        const entries = Object.values(keys.entries as Record<string, string>);
        return fc.record(Object.fromEntries(entries.map((k) => [k, inner(d.valueType)])));
      }
      return fc.dictionary(inner(d.keyType) as fc.Arbitrary<string>, inner(d.valueType), {
        maxKeys: 4,
      });
    }
    case 'object': {
      const shape = d.shape as Record<string, Schema>;
      const fields: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, s] of Object.entries(shape)) {
        const p = [...path, k];
        const known = ids?.(k, p);
        fields[k] = known?.length ? fc.oneof(fc.constantFrom(...known), inner(s, p)) : inner(s, p);
      }
      return fc
        .record(fields)
        .map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
    }
    default: // any, unknown and kinds no input uses yet
      return fc.jsonValue();
  }
}

/**
 * One plain value for `schema`: the required fields, each at its smallest valid value, and
 * optional fields only where `ids` has a value for them. Undefined where none can be read.
 */
export function exampleOf(schema: Schema, ids?: Ids, path: string[] = []): unknown {
  const d = def(schema);
  const inner = (s: Schema, p = path) => exampleOf(s, ids, p);
  switch (d.type) {
    case 'string': {
      const r = stringRules(d);
      const fixed: Record<string, string> = {
        email: 'someone@example.test',
        url: 'https://example.test/page',
        datetime: '2026-03-27T09:00:00.000Z',
        date: '2026-03-27',
      };
      if (r.format && fixed[r.format]) return fixed[r.format];
      if (r.pattern) {
        const fits = fc
          .sample(fc.stringMatching(r.pattern), { seed: 1, numRuns: 50 })
          .filter((s) => s.length >= r.min && s.length <= r.max && s.trim() === s)
          .sort((a, b) => b.length - a.length);
        return fits[0];
      }
      return (r.prefix ?? '') + 'x'.repeat(Math.max(1, r.min));
    }
    case 'number': {
      const r = numberRules(d);
      return Math.min(Math.max(1, r.min), r.max);
    }
    case 'boolean':
      return false;
    case 'literal':
      return d.values[0];
    case 'enum':
      return Object.values(d.entries as Record<string, unknown>)[0];
    case 'null':
      return null;
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
      return inner(d.innerType);
    case 'optional':
      return undefined;
    case 'pipe': {
      // What goes in is what the caller sends; if the transform's result fails the output
      // schema, a value of the output's shape often fits both (a normalised code, say).
      const fromIn = inner(d.in);
      if ((schema as z.ZodType).safeParse(fromIn).success) return fromIn;
      const fromOut = inner(d.out);
      return (schema as z.ZodType).safeParse(fromOut).success ? fromOut : fromIn;
    }
    case 'lazy':
      return inner(d.getter());
    case 'array': {
      const r = stringRules(d);
      return Array.from({ length: r.min }, () => inner(d.element));
    }
    case 'tuple':
      return (d.items as Schema[]).map((s) => inner(s));
    case 'union':
      return inner(d.options[0]);
    case 'record': {
      const keys = def(d.keyType);
      if (keys.type !== 'enum') return {};
      const entries = Object.values(keys.entries as Record<string, string>);
      return Object.fromEntries(entries.map((k) => [k, inner(d.valueType)]));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(d.shape as Record<string, Schema>)) {
        const p = [...path, k];
        const known = ids?.(k, p);
        if (known?.length) out[k] = known[0];
        else {
          const v = inner(s, p);
          if (v !== undefined) out[k] = v;
        }
      }
      return out;
    }
    default:
      return undefined;
  }
}
