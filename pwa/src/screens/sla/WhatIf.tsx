import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@deskwatch/server';
import { percent } from './form-model';

type WhatIfResult = inferRouterOutputs<AppRouter>['sla']['whatIf'];

function TicketList({ label, list }: { label: string; list: WhatIfResult['newlyBreached'] }) {
  return (
    <>
      <h4>
        {label} ({list.length})
      </h4>
      {list.length > 0 && (
        <ul className="plain">
          {list.map((t) => (
            <li key={t.ticketId}>
              {t.source} #{t.externalId} {t.subject}{' '}
              <span className="muted">
                ({t.metrics.map((m) => m.replace('_', ' ')).join(', ')})
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** What a draft would have done over the last 30 days, as the server's engine computed it. */
export function WhatIf({ result }: { result: WhatIfResult }) {
  return (
    <section className="card" data-testid="what-if" aria-live="polite">
      <p>
        Had this applied over the last 30 days ({result.tickets} tickets): compliance{' '}
        <strong>{percent(result.draft.rate)}</strong> instead of {percent(result.current.rate)}.
      </p>
      <TicketList label="Would newly breach" list={result.newlyBreached} />
      <TicketList label="Would no longer breach" list={result.noLongerBreached} />
    </section>
  );
}

interface Outcome<T> {
  error: { message: string } | null;
  data?: T;
}

/** Under a settings form's buttons: what the what-if found, or why it or the save was refused. */
export function Outcomes({
  whatIf,
  save,
}: {
  whatIf: Outcome<WhatIfResult>;
  save: Outcome<unknown>;
}) {
  return (
    <>
      {whatIf.error && (
        <p className="error" role="alert">
          {whatIf.error.message}
        </p>
      )}
      {whatIf.data && <WhatIf result={whatIf.data} />}
      {save.error && (
        <p className="error" role="alert">
          {save.error.message}
        </p>
      )}
    </>
  );
}
