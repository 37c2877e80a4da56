import { useEffect, useRef, useState } from 'react';
import type { KbMarks, Suggestion } from '@deskwatch/server';
import { ask, type KbAction } from '../lib/messages';
import { articleLink } from './article-link';
import { kbNotice } from './kb-match';

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

const NO_MARKS: Omit<KbMarks, 'articleId'> = { linked: false, rating: null, flagged: false };

/**
 * The ticket's article marks as the server keeps them (linked, this agent's rating and flag), so
 * they survive a reload. `change` shows one article's new mark at once, merged into its others
 * (rating one never resets another's link), and, once the server took the action, shows what
 * the server knows; a refused action leaves the marks as they were.
 */
function useMarks(ticketId: string | null) {
  const [marks, setMarks] = useState<Record<string, Omit<KbMarks, 'articleId'>>>({});
  const load = (id: string) =>
    ask({ type: 'kbMarks', ticketId: id }).then(
      (list) => setMarks(Object.fromEntries(list.map(({ articleId, ...m }) => [articleId, m]))),
      () => undefined,
    );
  useEffect(() => {
    setMarks({});
    if (ticketId) void load(ticketId);
  }, [ticketId]);
  const change = async <T,>(
    articleId: string,
    patch: Partial<Omit<KbMarks, 'articleId'>>,
    action: Promise<T>,
  ): Promise<T> => {
    const before = marks;
    setMarks((m) => ({ ...m, [articleId]: { ...NO_MARKS, ...m[articleId], ...patch } }));
    try {
      const res = await action;
      if (ticketId) void load(ticketId);
      return res;
    } catch (e) {
      setMarks(before);
      throw e;
    }
  };
  return { marks, change };
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
  const { marks, change } = useMarks(ticketId);
  const [flagging, setFlagging] = useState<string | null>(null);
  const [flagText, setFlagText] = useState('');
  const [drafting, setDrafting] = useState(false);
  const [draft, setDraft] = useState({ title: '', body: '' });
  /** Weak suggestions shown anyway, at the agent's request. */
  const [showWeak, setShowWeak] = useState(false);
  const searchBox = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    const req = searched
      ? ask({ type: 'kbSearch', q: searched })
      : ask({ type: 'kbSuggest', ...(ticketId ? { ticketId } : {}), subject, message: kb.message });
    setShowWeak(false);
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
    ask({ type: 'kbRecord', articleId: s.id, kind, ...(ticketId ? { ticketId } : {}) });
  const rate = (s: Suggestion, rating: 'helpful' | 'not_relevant') =>
    change(s.id, { rating }, record(s, rating));
  const markOf = (s: Suggestion) => marks[s.id] ?? NO_MARKS;

  const startArticle = () => {
    // The subject and the agent's reply so far are the starting point.
    const box = kb.replyBox();
    const reply =
      box instanceof HTMLTextAreaElement || box instanceof HTMLInputElement
        ? box.value
        : (box?.innerText ?? '');
    setDraft({ title: subject, body: reply.trim() });
    setDrafting(true);
  };
  const matchNotice = kbNotice(list, searched);
  const shown = matchNotice.kind === 'no-good-match' && !showWeak ? [] : (list ?? []);

  const copy = async (s: Suggestion) => {
    await navigator.clipboard.writeText(linkOf(s)).then(
      () => setNotice(`Link to “${s.title}” copied`),
      () => setNotice(`Copy this link: ${linkOf(s)}`),
    );
    void record(s, 'copied').catch(() => undefined);
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
          ref={searchBox}
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
      {matchNotice.kind === 'empty' && <div className="muted">{matchNotice.text}</div>}
      {matchNotice.kind === 'no-good-match' && (
        <div className="kb-no-match" data-testid="kb-no-match" role="status">
          <p>{matchNotice.text}</p>
          <button type="button" onClick={() => searchBox.current?.focus()}>
            Search
          </button>{' '}
          <button type="button" onClick={startArticle}>
            Start an article
          </button>{' '}
          <button type="button" aria-expanded={showWeak} onClick={() => setShowWeak(!showWeak)}>
            {showWeak ? 'Hide the closest articles' : 'Show the closest articles'}
          </button>
        </div>
      )}
      <ol className="kb-list">
        {shown.map((s) => (
          <li key={s.id} data-article={s.id}>
            {linkOf(s) ? (
              <a
                href={linkOf(s)}
                target="_blank"
                rel="noreferrer noopener"
                onClick={() => void record(s, 'opened').catch(() => undefined)}
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
                  void record(s, 'inserted').catch(() => undefined);
                  setNotice(`Link to “${s.title}” added to your reply`);
                }}
              >
                Insert in reply
              </button>
              {ticketId && (
                <button
                  type="button"
                  disabled={markOf(s).linked}
                  onClick={() =>
                    void change(
                      s.id,
                      { linked: true },
                      ask({ type: 'kbLink', ticketId, articleId: s.id }),
                    ).then(
                      () => setNotice(`“${s.title}” linked to this ticket`),
                      (e: Error) => setNotice(e.message),
                    )
                  }
                >
                  {markOf(s).linked ? 'Linked' : 'Link to ticket'}
                </button>
              )}
              <button
                type="button"
                aria-pressed={markOf(s).rating === 'helpful'}
                onClick={() => void rate(s, 'helpful').catch((e: Error) => setNotice(e.message))}
              >
                Helpful
              </button>
              <button
                type="button"
                aria-pressed={markOf(s).rating === 'not_relevant'}
                onClick={() =>
                  void rate(s, 'not_relevant').catch((e: Error) => setNotice(e.message))
                }
              >
                Not relevant
              </button>
              <button
                type="button"
                aria-expanded={flagging === s.id}
                disabled={markOf(s).flagged}
                onClick={() => setFlagging(flagging === s.id ? null : s.id)}
              >
                {markOf(s).flagged ? 'Flagged' : 'Outdated?'}
              </button>
            </div>
            {flagging === s.id && (
              <form
                className="kb-flag"
                onSubmit={(e) => {
                  e.preventDefault();
                  void change(
                    s.id,
                    { flagged: true },
                    ask({
                      type: 'kbRecord',
                      articleId: s.id,
                      kind: 'flagged_outdated',
                      comment: flagText,
                      ...(ticketId ? { ticketId } : {}),
                    }),
                  ).then(
                    () => (setFlagging(null), setFlagText('')),
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
        <button type="button" onClick={startArticle}>
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
