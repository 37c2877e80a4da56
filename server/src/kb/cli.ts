// npm run kb:import -- <path> [--workspace <name or id>] --source <name> [--archive-missing]
// Imports knowledge-base articles from a folder, a ZIP or a file (Markdown with front matter,
// CSV, JSON, JSON Lines, HTML) into a workspace of the database in DATABASE_URL, with the same
// code as the admin upload in the app: progress while it runs, then a summary with each
// rejected item and each duplicate. The source is named, never taken from the path: the same
// export read as a file or as a folder is the same source. Zendesk and Freshdesk exports name
// their own (`zendesk`, `freshdesk`) when --source is left out.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { eq, or } from 'drizzle-orm';
import { openDb } from '../db/client.js';
import { workspaces } from '../db/schema.js';
import { readEnv } from '../env.js';
import { createArticles } from './articles.js';
import { filesFromPath, itemsFromFiles } from './sources.js';

const usage =
  'usage: npm run kb:import -- <folder|file.zip|file> [--workspace <name or id>] --source <name> [--archive-missing]';
const SOURCE = /^[a-z0-9][a-z0-9:._-]{0,59}$/;

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
      options: {
        workspace: { type: 'string' },
        source: { type: 'string' },
        'archive-missing': { type: 'boolean' },
      },
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
  const source = args.values.source ?? null;
  if (source !== null && !SOURCE.test(source)) {
    out(`A source name is lower-case letters, digits and : . _ - (got "${source}")`);
    return 2;
  }
  const items = [...itemsFromFiles(filesFromPath(path))];
  if (source === null && items.some((i) => 'data' in i && !i.source)) {
    out(
      `Say which source these articles come from with --source <name> (Zendesk and Freshdesk exports name their own).\n${usage}`,
    );
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
    out(
      `Importing ${path} into "${ws.name}" as source ${source ?? [...new Set(items.flatMap((i) => ('source' in i && i.source ? [i.source] : [])))].join(', ')}…`,
    );
    const started = performance.now();
    let lastShown = 0;
    const summary = await createArticles(db, Date.now).import(
      ws.id,
      source,
      items,
      (done, s) => {
        if (done - lastShown < 1000) return;
        lastShown = done;
        out(
          `  ${done} items: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.rejected.length} rejected`,
        );
      },
      { archiveMissing: args.values['archive-missing'] ?? false },
    );
    const seconds = (performance.now() - started) / 1000;
    out(
      `Done in ${seconds.toFixed(1)} s: ${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.archived} archived, ${summary.duplicates.length} duplicates, ${summary.rejected.length} rejected.`,
    );
    if (summary.archiveSkipped) out(`  nothing archived: ${summary.archiveSkipped}`);
    for (const d of summary.duplicates) out(`  duplicate ${d.ref}: the same article as ${d.of}`);
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
