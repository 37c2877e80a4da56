import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ago, TYPE_LABEL } from '../format';
import { useTRPC } from '../trpc';
import { ExternalLink } from '../ExternalLink';

export function Escalation({ id, startDenying }: { id: string; startDenying: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const esc = useQuery(trpc.escalations.get.queryOptions({ escalationId: id }));
  const [denying, setDenying] = useState(startDenying);
  const [comment, setComment] = useState('');
  const decide = useMutation(
    trpc.escalations.decide.mutationOptions({
      onSettled: () => qc.invalidateQueries({ queryKey: trpc.escalations.pathKey() }),
    }),
  );
  if (!esc.data)
    return (
      <main>{esc.isError ? <p className="error">{esc.error.message}</p> : <p>Loading…</p>}</main>
    );
  const e = esc.data;
  return (
    <main data-testid="escalation" data-state={e.state}>
      <h1>{e.ticketSubject}</h1>
      <dl>
        <dt>Type</dt>
        <dd>{TYPE_LABEL[e.type]}</dd>
        <dt>Severity</dt>
        <dd>{e.severity}</dd>
        <dt>Requested by</dt>
        <dd>
          {e.requestedBy}, {ago(e.createdAt)}
        </dd>
        <dt>Reason</dt>
        <dd className="reason">{e.reason}</dd>
        <dt>Ticket</dt>
        <dd>
          <ExternalLink href={e.ticketUrl}>Open in the ticketing tool</ExternalLink>{' '}
          <a href={`/tickets/${e.ticketId}/sources`}>Sources</a>
        </dd>
        <dt>State</dt>
        <dd data-testid="state">
          {e.state}
          {e.decidedBy ? ` by ${e.decidedBy}` : ''}
          {e.comment ? `: ${e.comment}` : ''}
        </dd>
      </dl>
      {decide.error && (
        <p className="error" role="alert">
          {decide.error.message}
        </p>
      )}
      {e.state === 'pending' && !denying && (
        <div className="actions">
          <button
            className="primary big"
            disabled={decide.isPending}
            onClick={() => decide.mutate({ escalationId: id, decision: 'approve' })}
          >
            Approve
          </button>
          <button className="danger big" onClick={() => setDenying(true)}>
            Deny…
          </button>
        </div>
      )}
      {e.state === 'pending' && denying && (
        <form
          onSubmit={(ev) => {
            ev.preventDefault();
            decide.mutate({ escalationId: id, decision: 'deny', comment });
          }}
        >
          <label>
            Reason for denying{' '}
            <textarea
              name="comment"
              required
              value={comment}
              onChange={(ev) => setComment(ev.target.value)}
              autoFocus
            />
          </label>
          <div className="actions">
            <button className="danger big" disabled={decide.isPending || comment.trim() === ''}>
              Deny
            </button>
            <button type="button" onClick={() => setDenying(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </main>
  );
}
