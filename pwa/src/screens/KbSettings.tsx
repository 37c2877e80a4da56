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
  const [source, setSource] = useState('upload');
  return (
    <main className="settings">
      <h1>Knowledge base</h1>
      {admin && (
        <section>
          <h2>Import articles</h2>
          <p className="muted">
            Markdown files with front matter, CSV, JSON (ours, a Zendesk Guide or Freshdesk export),
            HTML pages, or a ZIP of them. Importing the same source again updates its articles.
          </p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void Promise.all(
                files.map(async (f) => ({ name: f.name, base64: await toBase64(f) })),
              ).then((list) => {
                // randomUUID exists only in secure contexts (https, localhost).
                const id =
                  crypto.randomUUID?.() ??
                  `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
                setImportId(id);
                upload.mutate({ source, files: list, importId: id });
              });
            }}
          >
            <label>
              Files{' '}
              <input
                type="file"
                multiple
                required
                accept=".md,.markdown,.csv,.json,.html,.htm,.zip"
                onChange={(e) => setFiles([...(e.target.files ?? [])])}
              />
            </label>{' '}
            <label>
              Source name <input value={source} onChange={(e) => setSource(e.target.value)} />
            </label>{' '}
            <button className="primary" disabled={upload.isPending}>
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
