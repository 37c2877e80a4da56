import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ago } from '../format';
import { useTRPC } from '../trpc';
import { Unavailable } from '../Unavailable';
import { Markdown } from './Markdown';

/**
 * A knowledge-base article, opened from the overlay when it has no address of its own. The
 * Markdown is formatted as React elements, never inserted as HTML (see Markdown).
 */
export function Article({ id }: { id: string }) {
  const trpc = useTRPC();
  const article = useQuery(trpc.kb.article.queryOptions({ id }));
  const flag = useMutation(trpc.kb.record.mutationOptions());
  const [comment, setComment] = useState('');
  if (article.error)
    return (
      <main>
        <p className="error" role="alert">
          {article.error.message}
        </p>
      </main>
    );
  if (!article.data)
    return (
      <main>
        <Unavailable query={article} what="This article" />
      </main>
    );
  const a = article.data;
  return (
    <main className="article">
      <h1>{a.title}</h1>
      <p className="muted">
        {a.state} · version {a.version} · updated {ago(a.updatedAt)}
        {a.author ? ` · ${a.author}` : ''}
      </p>
      <div className="article-body">
        <Markdown text={a.body} />
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          flag.mutate({ articleId: a.id, kind: 'flagged_outdated', comment });
        }}
      >
        <label>
          Something here is out of date?{' '}
          <input value={comment} required onChange={(e) => setComment(e.target.value)} />
        </label>{' '}
        <button disabled={flag.isPending || flag.isSuccess}>
          {flag.isSuccess ? 'Flagged, thank you' : 'Flag as outdated'}
        </button>
      </form>
      {flag.error && <p className="error">{flag.error.message}</p>}
    </main>
  );
}
