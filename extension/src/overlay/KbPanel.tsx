import { useEffect, useState } from 'react';
import type { Suggestion } from '@deskwatch/server';
import { ask, type KbAction } from '../lib/messages';
import { articleLink } from './article-link';

/** What the KB panel needs from the page: the latest customer message and the reply box. */
export interface KbContext {
  message: string;
  serverUrl: string | null;
  replyBox(): HTMLElement | null;
}

/** Puts text at the end of the tool's reply box (a textarea or a rich editor), as the tool would see typing. */
export function insertIntoReply(box: HTMLElement, text: string) {
  box.focus();
  if (box instanceof HTMLTextAreaElement || box instanceof HTMLInputElement) {
    const sep = box.value && !box.value.endsWith('\n') ? '\n' : '';
    box.value = `${box.value}${sep}${text}`;
  } else {
    const p = document.createElement('p');
    p.textContent = text;
    box.append(p);
  }
  box.dispatchEvent(
    new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }),
  );
}

/**
 * Articles that may answer the ticket on screen, from its subject and latest customer message,
 * refreshed when that message changes; a search box for anything else. Article text is shown
 * as text with its matching terms marked, never as HTML.
 */
export function KbPanel({
  ticketId,
  subject,
  kb,
}: {
  ticketId: string | null;
  subject: string;
  kb: KbContext;
}) {
  const [query, setQuery] = useState('');
  const [searched, setSearched] = useState<string | null>(null);
  const [list, setList] = useState<Suggestion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [done, setDone] = useState<Record<string, string>>({});
  const [flagging, setFlagging] = useState<string | null>(null);
  const [flagText, setFlagText] = useState('');
  const [drafting, setDrafting] = useState(false);
  const [draft, setDraft] = useState({ title: '', body: '' });

  useEffect(() => {
    let live = true;
    setError(null);
    const req = searched
      ? ask({ type: 'kbSearch', q: searched })
      : ask({ type: 'kbSuggest', ...(ticketId ? { ticketId } : {}), subject, message: kb.message });
    req.then(
      (l) => live && setList(l),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [ticketId, subject, kb.message, searched]);

  const linkOf = (s: Suggestion) => articleLink(s, kb.serverUrl) ?? '';
  const record = (s: Suggestion, kind: KbAction) =>
    void ask({ type: 'kbRecord', articleId: s.id, kind, ...(ticketId ? { ticketId } : {}) }).catch(
      () => undefined,
    );
  const mark = (s: Suggestion, what: string) => setDone((d) => ({ ...d, [s.id]: what }));

  const copy = async (s: Suggestion) => {
    await navigator.clipboard.writeText(linkOf(s)).then(
      () => setNotice(`Link to “${s.title}” copied`),
      () => setNotice(`Copy this link: ${linkOf(s)}`),
    );
    record(s, 'copied');
  };

  return (
    <div className="kb" data-testid="kb-panel">
      <form
        className="kb-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setSearched(query.trim() || null);
        }}
      >
        <input
          aria-label="Search the knowledge base"
          placeholder="Search articles"
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
        />
        <button type="submit">Search</button>
        {searched && (
          <button type="button" onClick={() => (setQuery(''), setSearched(null))}>
            Suggested
          </button>
        )}
      </form>
      <div className="kb-title">
        {searched ? `Articles for “${searched}”` : 'Suggested articles'}
      </div>
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      {list && list.length === 0 && (
        <div className="muted">No article matches this ticket yet.</div>
      )}
      <ol className="kb-list">
        {list?.map((s) => (
          <li key={s.id} data-article={s.id}>
            {linkOf(s) ? (
              <a
                href={linkOf(s)}
                target="_blank"
                rel="noreferrer noopener"
                onClick={() => record(s, 'opened')}
                className="kb-article"
              >
                {s.title}
              </a>
            ) : (
              <span className="kb-article">{s.title}</span>
            )}
            <p className="kb-snippet" data-testid="kb-snippet">
              {s.snippet.map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : p.text))}
            </p>
            <p className="muted kb-why">
              Matched {[...new Set([...s.why.titleTerms, ...s.why.bodyTerms])].join(', ') || '—'}
              {s.why.similarTicketLinks > 0 &&
                ` · linked to ${s.why.similarTicketLinks} similar ticket${s.why.similarTicketLinks > 1 ? 's' : ''}`}
            </p>
            <div className="kb-actions">
              <button type="button" onClick={() => void copy(s)}>
                Copy link
              </button>
              <button
                type="button"
                onClick={() => {
                  const box = kb.replyBox();
                  if (!box) return void copy(s);
                  insertIntoReply(box, `${s.title}: ${linkOf(s)}`);
                  record(s, 'inserted');
                  setNotice(`Link to “${s.title}” added to your reply`);
                }}
              >
                Insert in reply
              </button>
              {ticketId && (
                <button
                  type="button"
                  disabled={done[s.id] === 'linked'}
                  onClick={() =>
                    void ask({ type: 'kbLink', ticketId, articleId: s.id }).then(
                      () => (mark(s, 'linked'), setNotice(`“${s.title}” linked to this ticket`)),
                      (e: Error) => setNotice(e.message),
                    )
                  }
                >
                  {done[s.id] === 'linked' ? 'Linked' : 'Link to ticket'}
                </button>
              )}
              <button
                type="button"
                aria-pressed={done[s.id] === 'helpful'}
                onClick={() => (record(s, 'helpful'), mark(s, 'helpful'))}
              >
                Helpful
              </button>
              <button
                type="button"
                aria-pressed={done[s.id] === 'not_relevant'}
                onClick={() => (record(s, 'not_relevant'), mark(s, 'not_relevant'))}
              >
                Not relevant
              </button>
              <button
                type="button"
                aria-expanded={flagging === s.id}
                disabled={done[s.id] === 'flagged'}
                onClick={() => setFlagging(flagging === s.id ? null : s.id)}
              >
                {done[s.id] === 'flagged' ? 'Flagged' : 'Outdated?'}
              </button>
            </div>
            {flagging === s.id && (
              <form
                className="kb-flag"
                onSubmit={(e) => {
                  e.preventDefault();
                  void ask({
                    type: 'kbRecord',
                    articleId: s.id,
                    kind: 'flagged_outdated',
                    comment: flagText,
                    ...(ticketId ? { ticketId } : {}),
                  }).then(
                    () => (mark(s, 'flagged'), setFlagging(null), setFlagText('')),
                    (err: Error) => setNotice(err.message),
                  );
                }}
              >
                <input
                  aria-label="What is out of date"
                  required
                  value={flagText}
                  onChange={(e) => setFlagText(e.currentTarget.value)}
                />
                <button type="submit">Flag</button>
              </form>
            )}
          </li>
        ))}
      </ol>
      {!drafting ? (
        <button
          type="button"
          onClick={() => {
            // The subject and the agent's reply so far are the starting point.
            const box = kb.replyBox();
            const reply =
              box instanceof HTMLTextAreaElement || box instanceof HTMLInputElement
                ? box.value
                : (box?.innerText ?? '');
            setDraft({ title: subject, body: reply.trim() });
            setDrafting(true);
          }}
        >
          Start an article from this ticket
        </button>
      ) : (
        <form
          className="kb-draft"
          onSubmit={(e) => {
            e.preventDefault();
            void ask({ type: 'kbDraft', ...(ticketId ? { ticketId } : {}), ...draft }).then(
              (d) => (setDrafting(false), setNotice(`Draft “${d.title}” sent for review`)),
              (err: Error) => setNotice(err.message),
            );
          }}
        >
          <input
            aria-label="Article title"
            required
            value={draft.title}
            onChange={(e) => setDraft({ ...draft, title: e.currentTarget.value })}
          />
          <textarea
            aria-label="Article text"
            required
            rows={5}
            value={draft.body}
            onChange={(e) => setDraft({ ...draft, body: e.currentTarget.value })}
          />
          <button type="submit">Save draft</button>{' '}
          <button type="button" onClick={() => setDrafting(false)}>
            Cancel
          </button>
        </form>
      )}
      {notice && (
        <p className="muted" role="status">
          {notice}
        </p>
      )}
    </div>
  );
}
