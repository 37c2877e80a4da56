import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ago, percent, span } from '../format';
import { useTRPC } from '../trpc';
import { Unavailable } from '../Unavailable';
import { ExternalLink } from '../ExternalLink';
import { Trend } from '../Trend';

const PERIODS = [7, 30, 90] as const;
const REASON = {
  no_article: 'no article matched',
  weak_match: 'weak match',
  not_relevant: 'rated not relevant',
} as const;

/**
 * Knowledge-base insights for managers: whether articles help (link and helpful rates,
 * resolution time and reopens with an article against without, top and not-relevant articles)
 * and the gap report: recent tickets with no good article, grouped by topic.
 */
export function KbInsights() {
  const trpc = useTRPC();
  const [days, setDays] = useState<(typeof PERIODS)[number]>(30);
  const eff = useQuery(trpc.kb.effectiveness.queryOptions({ days }));
  const gaps = useQuery(trpc.kb.gaps.queryOptions({ days }));
  const e = eff.data;
  const g = gaps.data;
  // Topics asked about more than once, and the one-off tickets shown apart.
  const recurring = g?.clusters.filter((c) => c.tickets > 1) ?? [];
  const once = g?.clusters.filter((c) => c.tickets === 1) ?? [];
  return (
    <main className="settings" data-testid="kb-insights">
      <h1>Knowledge base insights</h1>
      <p role="group" aria-label="Period">
        {PERIODS.map((d) => (
          <button
            key={d}
            type="button"
            aria-pressed={days === d}
            className={days === d ? 'primary' : undefined}
            onClick={() => setDays(d)}
          >
            {d} days
          </button>
        ))}{' '}
        <span className="muted">compared with the {days} days before</span>
      </p>
      {!e && <Unavailable query={eff} what="KB insights" />}
      {e && (
        <>
          <ul className="cards" data-testid="kb-effectiveness">
            <li className="card">
              <strong>Link rate {percent(e.current.linkRate)}</strong>
              <Trend now={e.current.linkRate} before={e.previous.linkRate} show={percent} />
              <div className="muted">
                {e.current.counts.ticketsLinked} of {e.current.counts.ticketsShown} tickets shown
                suggestions got a linked article
              </div>
            </li>
            <li className="card">
              <strong>Helpful {percent(e.current.helpfulRate)}</strong>
              <Trend now={e.current.helpfulRate} before={e.previous.helpfulRate} show={percent} />
              <div className="muted">
                {e.current.counts.helpful} helpful, {e.current.counts.notRelevant} not relevant
              </div>
            </li>
            {e.current.resolved.withArticle + e.current.resolved.without === 0 ? (
              <li className="card muted">No ticket was resolved in these {days} days.</li>
            ) : (
              <>
                <li className="card">
                  <strong>
                    Resolution {span(e.current.resolved.medianMsWithArticle)} with an article,{' '}
                    {span(e.current.resolved.medianMsWithout)} without
                  </strong>
                  <div className="muted">
                    median time to first resolution; {e.current.resolved.withArticle} tickets
                    resolved with a linked article, {e.current.resolved.without} without
                  </div>
                </li>
                <li className="card">
                  <strong>
                    Reopened {percent(e.current.resolved.reopenRateWithArticle)} with an article
                  </strong>
                  <Trend
                    now={e.current.resolved.reopenRateWithArticle}
                    before={e.previous.resolved.reopenRateWithArticle}
                    show={percent}
                    higherIsBetter={false}
                  />
                  <div className="muted">
                    {percent(e.current.resolved.reopenRateWithout)} of tickets resolved without one
                  </div>
                </li>
              </>
            )}
            <li className="card muted">
              Suggestions shown {e.current.counts.shown} · opened {e.current.counts.opened} ·
              inserted {e.current.counts.inserted} · copied {e.current.counts.copied} · linked{' '}
              {e.current.counts.linked} · flagged outdated {e.current.counts.flagged}
            </li>
          </ul>
          <h2>Top articles</h2>
          {e.topArticles.length === 0 ? (
            <p className="muted">No article was linked, inserted or rated helpful yet.</p>
          ) : (
            <ol data-testid="kb-top">
              {e.topArticles.map((a) => (
                <li key={a.id}>
                  <a href={`/kb/${encodeURIComponent(a.id)}`}>{a.title}</a>{' '}
                  <span className="muted">
                    linked {a.linked} · inserted {a.inserted} · helpful {a.helpful}
                  </span>
                </li>
              ))}
            </ol>
          )}
          <h2>Marked not relevant most often</h2>
          {e.mostNotRelevant.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ol data-testid="kb-not-relevant">
              {e.mostNotRelevant.map((a) => (
                <li key={a.id}>
                  <a href={`/kb/${encodeURIComponent(a.id)}`}>{a.title}</a>{' '}
                  <span className="muted">
                    {a.notRelevant} not relevant of {a.shown} times shown
                  </span>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
      <h2>Knowledge gaps: write these next</h2>
      {!g && e && <Unavailable query={gaps} what="The gap report" />}
      {g && (
        <>
          <p className="muted">
            {g.gapTickets} of {g.ticketsSearched} tickets searched in the last {g.days} days found
            no good article (none matched, the best held under {percent(g.minCoverage)} of the
            subject&apos;s words, or it was rated not relevant).
          </p>
          <ul className="cards" data-testid="kb-gaps">
            {recurring.map((c) => (
              <li key={c.examples[0]!.ticketId} className="card">
                <div className="row">
                  <strong>{c.label.join(' · ')}</strong>
                  <span className="pill">{c.tickets} tickets</span>
                </div>
                <div className="muted">
                  {(Object.keys(REASON) as (keyof typeof REASON)[])
                    .filter((r) => c.reasons[r] > 0)
                    .map((r) => `${c.reasons[r]} ${REASON[r]}`)
                    .join(', ')}{' '}
                  · last {ago(c.lastAt)}
                </div>
                <ul>
                  {c.examples.map((x) => (
                    <li key={x.ticketId}>
                      <ExternalLink href={x.url}>{x.subject}</ExternalLink>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
          {recurring.length === 0 && (
            <p className="muted">No question came up twice without an article.</p>
          )}
          {once.length > 0 && (
            <details data-testid="kb-gaps-single">
              <summary>Asked once ({once.length}): no pattern yet</summary>
              <ul>
                {once.map(({ examples: [x], reasons }) => (
                  <li key={x!.ticketId}>
                    <ExternalLink href={x!.url}>{x!.subject}</ExternalLink>{' '}
                    <span className="muted">
                      {
                        REASON[
                          (Object.keys(REASON) as (keyof typeof REASON)[]).find((r) => reasons[r])!
                        ]
                      }
                    </span>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </main>
  );
}
