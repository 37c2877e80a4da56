import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDb } from '../db/client.js';
import { Bus } from '../events.js';
import { createAudit } from '../services/audit.js';
import { createPeople } from '../services/people.js';
import { main } from './workspace-create.js';

let dir: string;
let url: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'deskwatch-cli-'));
  url = `file:${join(dir, 'deskwatch.db')}`;
  vi.stubEnv('DATABASE_URL', url);
  vi.stubEnv('PUBLIC_URL', 'https://desk.example');
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  const lines: string[] = [];
  const rc = await main(argv, (l) => lines.push(l));
  return { rc, text: lines.join('\n') };
}

async function count(table: string) {
  const { client } = await openDb({ url });
  try {
    return Number((await client.execute(`SELECT count(*) FROM ${table}`)).rows[0]![0]);
  } finally {
    client.close();
  }
}

describe('npm run workspace:create', () => {
  it('creates a workspace whose admin joins once by the printed link', async () => {
    const { rc, text } = await run('--name', 'Acme support', '--admin', 'Lead@Acme.example');
    expect(rc).toBe(0);
    expect(text).toMatch(/^Workspace "Acme support" created \(/);
    const token = /https:\/\/desk\.example\/join#(\S+)/.exec(text)?.[1];
    expect(token).toBeTruthy();

    const { db, client } = await openDb({ url });
    try {
      const people = createPeople(db, Date.now, {
        audit: createAudit(db, Date.now),
        bus: new Bus(),
        publicUrl: () => 'https://desk.example',
        allowSignup: false,
      });
      expect(await people.invitation(token!)).toEqual({
        email: 'lead@acme.example',
        role: 'admin',
        workspace: 'Acme support',
      });
      const userId = await people.join({
        token: token!,
        name: 'Lead',
        password: 'a long passphrase',
      });
      const user = await client.execute({
        sql: 'SELECT u.role, w.name FROM users u JOIN workspaces w ON w.id = u.workspace_id WHERE u.id = ?',
        args: [userId],
      });
      expect(user.rows.map((r) => [r[0], r[1]])).toEqual([['admin', 'Acme support']]);
      // The link works once.
      await expect(
        people.join({ token: token!, name: 'Someone else', password: 'another passphrase' }),
      ).rejects.toThrow(/already used/);
    } finally {
      client.close();
    }
  });

  it('refuses bad input with the usage and writes nothing', async () => {
    const before = await count('workspaces');
    for (const argv of [
      ['--name', '', '--admin', 'lead@acme.example'],
      ['--name', 'Acme', '--admin', 'not an address'],
      ['--name', 'Acme', '--admin', 'lead@acme.example', '--days', '400'],
      ['--name', 'Acme', '--unknown', 'x'],
    ]) {
      const { rc, text } = await run(...argv);
      expect(rc, argv.join(' ')).toBe(2);
      expect(text).toContain('usage: npm run workspace:create');
    }
    expect(await count('workspaces')).toBe(before);
    expect(await count('invitations')).toBe(0);
  });

  it('refuses an address that already has an account, writing no second workspace', async () => {
    const first = await run('--name', 'First', '--admin', 'lead@acme.example');
    const token = /join#(\S+)/.exec(first.text)![1]!;
    const { db, client } = await openDb({ url });
    try {
      await createPeople(db, Date.now, {
        audit: createAudit(db, Date.now),
        bus: new Bus(),
        publicUrl: () => 'https://desk.example',
        allowSignup: false,
      }).join({ token, name: 'Lead', password: 'a long passphrase' });
    } finally {
      client.close();
    }
    const before = await count('workspaces');
    const { rc, text } = await run('--name', 'Second', '--admin', 'LEAD@acme.example');
    expect(rc).toBe(1);
    expect(text).toMatch(/already has an account/);
    expect(await count('workspaces')).toBe(before);
  });
});
