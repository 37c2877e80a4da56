import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ago } from '../format';
import { useTRPC } from '../trpc';

const toBase64 = async (f: File) => {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
};

/**
 * A file's key in its source: its path inside the folder the admin picked (without the folder's
 * own name, as `npm run kb:import -- <folder>` keys it), or its name.
 */
const keyOf = (f: File) => f.webkitRelativePath.split('/').slice(1).join('/') || f.name;

/** A source name from a picked folder's name (lower-case letters, digits and . _ -). */
const sourceFromFolder = (files: File[]) => {
  const top = files[0]?.webkitRelativePath.split('/')[0] ?? '';
  return top
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '')
    .slice(0, 60);
};

/**
 * Knowledge base: import articles (admins; the same formats and code as `npm run kb:import`),
 * and review drafts agents started and articles they flagged as outdated (managers).
 */
export function KbSettings({ admin }: { admin: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const review = useQuery(trpc.kb.review.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.kb.review.queryKey() });
  const setState = useMutation(trpc.kb.setState.mutationOptions({ onSuccess: refresh }));
  const upload = useMutation(trpc.kb.import.mutationOptions({ onSuccess: refresh }));
  const [files, setFiles] = useState<File[]>([]);
  const [importId, setImportId] = useState<string | null>(null);
  // While an upload runs, how many items the server has read (each batch it writes).
  const progress = useQuery({
    ...trpc.kb.importProgress.queryOptions({ importId: importId ?? 'none-yet' }),
    enabled: upload.isPending && importId !== null,
    refetchInterval: 500,
  });
  const [source, setSource] = useState('');
  const [archiveMissing, setArchiveMissing] = useState(false);
  const pick = (list: FileList | null) => {
    // As the CLI does: hidden files (.DS_Store, .git) in a picked folder are not articles.
    const picked = [...(list ?? [])].filter(
      (f) =>
        !keyOf(f)
          .split('/')
          .some((p) => p.startsWith('.')),
    );
    setFiles(picked);
    // A picked folder is an export: its name is the source unless the admin typed one.
    if (!source) setSource(sourceFromFolder(picked));
  };
  return (
    <main className="settings">
      <h1>Knowledge base</h1>
      {admin && (
        <section>
          <h2>Import articles</h2>
          <p className="muted">
            Markdown files with front matter, CSV, JSON or JSON Lines (ours, a Zendesk Guide or
            Freshdesk export), HTML pages, or a ZIP of them. Importing the same source again updates
            its articles; an article another source already has is reported, not created twice.
          </p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void Promise.all(
                files.map(async (f) => ({ name: keyOf(f), base64: await toBase64(f) })),
              ).then((list) => {
                // randomUUID exists only in secure contexts (https, localhost).
                const id =
                  crypto.randomUUID?.() ??
                  `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
                setImportId(id);
                upload.mutate({
                  source: source.trim() || null,
                  archiveMissing,
                  files: list,
                  importId: id,
                });
              });
            }}
          >
            <label>
              Files{' '}
              <input
                type="file"
                multiple
                accept=".md,.markdown,.csv,.json,.jsonl,.html,.htm,.zip"
                onChange={(e) => pick(e.target.files)}
              />
            </label>{' '}
            <label>
              or a folder{' '}
              <input
                type="file"
                // Each file keeps its path in the folder as its key.
                {...{ webkitdirectory: '' }}
                onChange={(e) => pick(e.target.files)}
              />
            </label>{' '}
            <label>
              Source name{' '}
              <input
                value={source}
                placeholder="e.g. billing-faq"
                pattern="[a-z0-9][a-z0-9:._\-]{0,59}"
                aria-describedby="kb-source-help"
                onChange={(e) => setSource(e.target.value)}
              />
            </label>{' '}
            <label>
              <input
                type="checkbox"
                checked={archiveMissing}
                onChange={(e) => setArchiveMissing(e.target.checked)}
              />{' '}
              Archive what the source no longer has
            </label>{' '}
            <button className="primary" disabled={upload.isPending || files.length === 0}>
              {upload.isPending ? 'Importing…' : 'Import'}
            </button>
            {upload.isPending && (
              <span role="status" className="muted" data-testid="import-progress">
                {' '}
                {progress.data?.done
                  ? `${progress.data.done.toLocaleString()} articles read so far…`
                  : 'Uploading…'}
              </span>
            )}
          </form>
          <p id="kb-source-help" className="muted">
            The source name tells imports apart: importing the same source again updates its
            articles, and one source never overwrites another's. Leave it empty for a Zendesk or
            Freshdesk export: it names its own.
          </p>
          {upload.error && (
            <p className="error" role="alert">
              {upload.error.message}
            </p>
          )}
          {upload.data && (
            <div role="status" data-testid="import-summary">
              <p>
                {upload.data.created} created, {upload.data.updated} updated,{' '}
                {upload.data.unchanged} unchanged, {upload.data.rejected.length} rejected.
              </p>
              {upload.data.archived > 0 && (
                <p>{upload.data.archived} archived: the source no longer has them.</p>
              )}
              {upload.data.archiveSkipped && <p>Nothing archived: {upload.data.archiveSkipped}.</p>}
              {upload.data.duplicates.length > 0 && (
                <>
                  <p>
                    {upload.data.duplicates.length} not created: the knowledge base already has
                    them.
                  </p>
                  <ul className="plain" data-testid="import-duplicates">
                    {upload.data.duplicates.map((d) => (
                      <li key={d.ref}>
                        <code>{d.ref}</code>: the same article as <code>{d.of}</code>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              <ul className="plain">
                {upload.data.rejected.map((r) => (
                  <li key={r.ref}>
                    <code>{r.ref}</code>: {r.reason}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </section>
      )}
      <h2>Drafts to review</h2>
      {review.data?.drafts.length === 0 && <p className="muted">No drafts.</p>}
      <ul className="plain" data-testid="kb-drafts">
        {review.data?.drafts.map((d) => (
          <li key={d.id}>
            <a href={`/kb/${d.id}`}>{d.title}</a> by {d.author || 'someone'}, {ago(d.updatedAt)}{' '}
            <button onClick={() => setState.mutate({ id: d.id, state: 'published' })}>
              Publish
            </button>{' '}
            <button onClick={() => setState.mutate({ id: d.id, state: 'archived' })}>
              Discard
            </button>
          </li>
        ))}
      </ul>
      <h2>Flagged as outdated</h2>
      {review.data?.flags.length === 0 && <p className="muted">No flags.</p>}
      <ul className="plain">
        {review.data?.flags.map((f, i) => (
          <li key={`${f.articleId}:${i}`}>
            <a href={`/kb/${f.articleId}`}>{f.title}</a> ({f.state}): “{f.comment}”, {ago(f.at)}{' '}
            {f.articleId && f.state === 'published' && (
              <button onClick={() => setState.mutate({ id: f.articleId!, state: 'outdated' })}>
                Mark outdated
              </button>
            )}
          </li>
        ))}
      </ul>
      {setState.error && <p className="error">{setState.error.message}</p>}
    </main>
  );
}
