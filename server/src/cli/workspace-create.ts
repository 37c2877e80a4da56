// npm run workspace:create -- --name <workspace> --admin <e-mail> [--days <n>]
// Creates a workspace in the database of DATABASE_URL and prints a one-use link by which its
// first admin joins and chooses a password. For operators of a server where sign-up is off
// (ALLOW_SIGNUP, the default) and more than the first workspace is wanted.
import { parseArgs } from 'node:util';
import { createWorkspaceInput, inviteInput } from '@deskwatch/shared';
import { openDb } from '../db/client.js';
import { readEnv } from '../env.js';
import { createAudit } from '../services/audit.js';
import { createPeople, PeopleError } from '../services/people.js';
import { Bus } from '../events.js';

const usage =
  'usage: npm run workspace:create -- --name <workspace name> --admin <e-mail> [--days <1-30>]';

export async function main(argv: string[], out: (line: string) => void): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        name: { type: 'string' },
        admin: { type: 'string' },
        days: { type: 'string' },
      },
    });
  } catch (err) {
    out(`${(err as Error).message}\n${usage}`);
    return 2;
  }
  const name = createWorkspaceInput.shape.workspaceName.safeParse(args.values.name ?? '');
  const invite = inviteInput.safeParse({
    email: args.values.admin ?? '',
    role: 'admin',
    ...(args.values.days ? { days: Number(args.values.days) } : {}),
  });
  if (!name.success || !invite.success) {
    const issues = [...(name.error?.issues ?? []), ...(invite.error?.issues ?? [])];
    out(`${issues.map((i) => `${i.path.join('.') || 'name'}: ${i.message}`).join('; ')}\n${usage}`);
    return 2;
  }
  const env = readEnv();
  const { db, client } = await openDb({
    url: env.DATABASE_URL,
    authToken: env.DATABASE_AUTH_TOKEN,
    syncUrl: env.DATABASE_SYNC_URL,
  });
  const publicUrl = env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`;
  try {
    const people = createPeople(db, Date.now, {
      audit: createAudit(db, Date.now),
      bus: new Bus(),
      publicUrl: () => publicUrl,
      allowSignup: false,
    });
    const res = await people.createWorkspaceForOperator({
      workspaceName: name.data,
      email: invite.data.email,
      days: invite.data.days,
    });
    out(`Workspace "${name.data}" created (${res.workspaceId}).`);
    out(
      `Its admin ${res.email} joins with this link (works once, until ${new Date(res.expiresAt).toISOString()}):`,
    );
    out(`  ${res.link}`);
    return 0;
  } catch (err) {
    if (err instanceof PeopleError) {
      out(err.message);
      return 1;
    }
    throw err;
  } finally {
    client.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  process.exit(await main(process.argv.slice(2), (l) => console.log(l)));
