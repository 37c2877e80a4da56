import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { WEBHOOK_FORMATS, type WebhookFormat } from '@deskwatch/shared';
import { useTRPC } from '../../trpc';

const FORMAT_LABEL: Record<WebhookFormat, string> = {
  slack: 'Slack incoming webhook',
  teams: 'Microsoft Teams (Workflows webhook)',
  json: 'Generic JSON, signed',
};

/**
 * A path's outgoing webhooks, per level: the second channel beside push. The signing secret is
 * made by the server and shown once, right after saving; afterwards only the host is shown.
 */
export function PathWebhooks({ pathId, levels }: { pathId: string; levels: number }) {
  const trpc = useTRPC();
  const hooks = useQuery(trpc.oncall.webhooks.queryOptions());
  const refetch = () => void hooks.refetch();
  const [draft, setDraft] = useState({
    level: 0,
    name: '',
    url: '',
    format: 'slack' as WebhookFormat,
  });
  const save = useMutation(trpc.oncall.saveWebhook.mutationOptions({ onSuccess: refetch }));
  const remove = useMutation(trpc.oncall.removeWebhook.mutationOptions({ onSuccess: refetch }));
  const test = useMutation(trpc.oncall.testWebhook.mutationOptions());
  const mine = (hooks.data ?? []).filter((w) => w.pathId === pathId);
  const error = save.error ?? remove.error ?? test.error;
  return (
    <section aria-label="Webhooks" data-testid="path-webhooks">
      <h3>Webhooks</h3>
      <p className="muted">
        Each level&apos;s page is also posted to its webhooks (Slack, Microsoft Teams, or signed
        JSON), with the same retries as push.
      </p>
      <ul className="plain">
        {mine.map((w) => (
          <li key={w.id} data-testid="webhook">
            <strong>{w.name}</strong>{' '}
            <span className="muted">
              · level {w.level + 1} · {FORMAT_LABEL[w.format]} · {w.host}
            </span>{' '}
            <button
              type="button"
              disabled={test.isPending}
              onClick={() => test.mutate({ webhookId: w.id })}
            >
              Send test to {w.name}
            </button>{' '}
            <button type="button" onClick={() => remove.mutate({ webhookId: w.id })}>
              Remove {w.name}
            </button>
            {test.data && test.variables?.webhookId === w.id && (
              <span data-testid="webhook-test-result">
                {' '}
                {test.data.status} ({test.data.detail})
              </span>
            )}
          </li>
        ))}
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ pathId, ...draft });
        }}
      >
        <label>
          Level{' '}
          <select
            value={draft.level}
            onChange={(e) => setDraft({ ...draft, level: Number(e.target.value) })}
          >
            {Array.from({ length: levels }, (_, i) => (
              <option key={i} value={i}>
                Level {i + 1}
              </option>
            ))}
          </select>
        </label>
        <label>
          Webhook name{' '}
          <input
            value={draft.name}
            maxLength={120}
            required
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          />
        </label>
        <label>
          Webhook URL{' '}
          <input
            type="url"
            value={draft.url}
            required
            placeholder="https://hooks.slack.com/services/…"
            onChange={(e) => setDraft({ ...draft, url: e.target.value })}
          />
        </label>
        <label>
          Format{' '}
          <select
            value={draft.format}
            onChange={(e) => setDraft({ ...draft, format: e.target.value as WebhookFormat })}
          >
            {WEBHOOK_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABEL[f]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={save.isPending}>
          Add webhook
        </button>
      </form>
      {save.data && (
        <p role="status" data-testid="webhook-secret">
          Signing secret (shown once; the generic JSON format signs with it):{' '}
          <code>{save.data.secret}</code>
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
    </section>
  );
}
