import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createApp } from '../app.js';
import { testEnv } from '../testing.js';
import { appRouter } from './index.js';

/** Paths (like `spec.hours.mon[]`) of every object inside `schema` that accepts unknown keys. */
function looseObjects(schema: z.core.$ZodType, path: string, seen = new Set<unknown>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  const inner = (s: unknown, p = path) => looseObjects(s as z.core.$ZodType, p, seen);
  switch (def.type) {
    case 'object': {
      const catchall = def.catchall as z.core.$ZodType | undefined;
      const own = catchall?._zod.def.type === 'never' ? [] : [path || '(input)'];
      const shape = def.shape as Record<string, z.core.$ZodType>;
      return [...own, ...Object.entries(shape).flatMap(([k, v]) => inner(v, `${path}.${k}`))];
    }
    case 'array':
      return inner(def.element, `${path}[]`);
    case 'record':
      return inner(def.valueType, `${path}{}`);
    case 'union':
      return (def.options as unknown[]).flatMap((o) => inner(o));
    case 'intersection':
      return [...inner(def.left), ...inner(def.right)];
    case 'pipe':
      return [...inner(def.in), ...inner(def.out)];
    case 'lazy':
      return inner((def.getter as () => unknown)());
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return inner(def.innerType);
    default:
      return [];
  }
}

describe('every tRPC input', () => {
  // Generated from the router: a new procedure is checked without editing this test.
  const procedures = Object.entries(
    (appRouter._def as unknown as { procedures: Record<string, { _def: { inputs: unknown[] } }> })
      .procedures,
  );

  it('refuses unknown keys at every depth', () => {
    expect(procedures.length).toBeGreaterThan(30);
    const loose = procedures.flatMap(([name, p]) =>
      p._def.inputs.flatMap((s) =>
        looseObjects(s as z.core.$ZodType, '').map((at) => `${name} ${at}`),
      ),
    );
    expect(loose).toEqual([]);
  });
});

describe('unknown keys found by the review', () => {
  let env: Awaited<ReturnType<typeof testEnv>>;
  beforeEach(async () => (env = await testEnv()));
  afterEach(() => env.close());

  const count = async (table: string) =>
    Number((await env.client.execute(`SELECT count(*) FROM ${table}`)).rows[0]![0]);
  /** Expects `call` to be refused naming `key`, with no row written in `tables`. */
  async function refusedNaming(key: string, tables: string[], call: () => Promise<unknown>) {
    const before = await Promise.all(tables.map(count));
    await expect(call()).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining(`"${key}"`),
    });
    expect(await Promise.all(tables.map(count))).toEqual(before);
  }
  const office = { name: 'Office', timeZone: 'Europe/Amsterdam' };

  it('refuses a calendar whose hours are an operator object, and saves nothing', async () => {
    const admin = await env.as(env.a.users.admin.email);
    await refusedNaming('$gt', ['calendars', 'ticket_sla'], () =>
      admin.sla.saveCalendar({ spec: { ...office, hours: { $gt: '' } as never } }),
    );
  });

  it('refuses a misspelt weekday instead of leaving that day closed', async () => {
    const admin = await env.as(env.a.users.admin.email);
    for (const day of ['tuseday', 'monday'])
      await refusedNaming(day, ['calendars'], () =>
        admin.sla.saveCalendar({
          spec: {
            ...office,
            hours: { mon: [{ start: '09:00', end: '17:00' }], [day]: [] } as never,
          },
        }),
      );
  });

  it("refuses adapter values that are an operator object, and keeps the adapter's mappings", async () => {
    const admin = await env.as(env.a.users.admin.email);
    const values = { status: { Open: 'open' as const }, priority: { P1: 'urgent' as const } };
    await admin.adapters.setValues({ tool: 'zendesk', values });
    await refusedNaming('$gt', ['adapter_settings'], () =>
      admin.adapters.setValues({ tool: 'zendesk', values: { $gt: '' } as never }),
    );
    expect(await admin.adapters.values()).toEqual({ zendesk: values });
  });

  it('names the unknown key in the HTTP answer', async () => {
    const app = createApp({
      db: env.db,
      services: env.services,
      publicUrl: 'http://127.0.0.1:8787',
      pwaDist: '/nonexistent',
    });
    const res = await app.request('/trpc/auth.signIn', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: env.a.users.admin.email, password: 'pw-admin', role: 'x' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'Unrecognized key: "role"',
    );
  });
});

describe('overnight openings', () => {
  let env: Awaited<ReturnType<typeof testEnv>>;
  beforeEach(async () => (env = await testEnv()));
  afterEach(() => env.close());

  it('saves 17:00-09:00 and asks whether 09:00-17:00 was meant; a real night shift passes', async () => {
    const admin = await env.as(env.a.users.admin.email);
    const save = (start: string, end: string) =>
      admin.sla.saveCalendar({
        spec: { name: 'Office', timeZone: 'Europe/Amsterdam', hours: { mon: [{ start, end }] } },
      });
    expect((await save('17:00', '09:00')).warnings).toEqual([
      {
        severity: 'warning',
        policy: -1,
        message:
          'Calendar "Office": Monday 17:00-09:00 runs overnight for 16 h; did you mean 09:00-17:00?',
        path: ['hours', 'mon', 0],
      },
    ]);
    expect((await save('22:00', '06:00')).warnings).toEqual([]);
  });
});
