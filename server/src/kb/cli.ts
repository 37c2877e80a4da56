// npm run kb:import -- <path> [--workspace <name or id>] [--source <name>]
// Imports knowledge-base articles from a folder, a ZIP or a file (Markdown with front matter,
// CSV, JSON, HTML) into a workspace of the database in DATABASE_URL, with the same code as the
// admin upload in the app: progress while it runs, then a summary with each rejected item.
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { eq, or } from 'drizzle-orm';
import { openDb } from '../db/client.js';
import { workspaces } from '../db/schema.js';
import { readEnv } from '../env.js';
import { createArticles } from './articles.js';
import { filesFromPath, itemsFromFiles } from './sources.js';

const usage =
  'usage: npm run kb:import -- <folder|file.zip|file> [--workspace <name or id>] [--source <name>]';

export async function main(
  argv: string[],
  cwd: string,
  out: (line: string) => void,
): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { workspace: { type: 'string' }, source: { type: 'string' } },
    });
  } catch (err) {
    out(`${(err as Error).message}\n${usage}`);
    return 2;
  }
  const [target] = args.positionals;
  if (!target || args.positionals.length > 1) {
    out(usage);
    return 2;
  }
  const path = resolve(cwd, target);
  if (!existsSync(path)) {
    out(`No such file or folder: ${path}`);
    return 2;
  }
  const env = readEnv(process.env);
  const { db, client } = await openDb({
    url: env.DATABASE_URL,
    authToken: env.DATABASE_AUTH_TOKEN,
    syncUrl: env.DATABASE_SYNC_URL,
  });
  try {
    const wanted = args.values.workspace;
    const all = await db.query.workspaces.findMany({
      where: wanted ? or(eq(workspaces.id, wanted), eq(workspaces.name, wanted)) : undefined,
    });
    if (all.length !== 1) {
      out(
        all.length === 0
          ? `No workspace ${wanted ? `"${wanted}"` : 'yet'} in ${env.DATABASE_URL}`
          : `Several workspaces: say which with --workspace (${all.map((w) => w.name).join(', ')})`,
      );
      return 2;
    }
    const ws = all[0]!;
    const source = args.values.source ?? `import:${basename(path)}`;
    out(`Importing ${path} into "${ws.name}" as source ${source}…`);
    const started = performance.now();
    let lastShown = 0;
    const summary = await createArticles(db, Date.now).import(
      ws.id,
      source,
      itemsFromFiles(filesFromPath(path)),
      (done, s) => {
        if (done - lastShown < 1000) return;
        lastShown = done;
        out(
          `  ${done} items: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.rejected.length} rejected`,
        );
      },
    );
    const seconds = (performance.now() - started) / 1000;
    out(
      `Done in ${seconds.toFixed(1)} s: ${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.rejected.length} rejected.`,
    );
    for (const r of summary.rejected) out(`  rejected ${r.ref}: ${r.reason}`);
    return 0;
  } finally {
    client.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const code = await main(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd(), (l) =>
    console.log(l),
  );
  process.exit(code);
}
