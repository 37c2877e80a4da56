import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@deskwatch/server';
import { ago, span } from '../../format';
import { useTRPC } from '../../trpc';
import { ConnectorQuarantine } from './ConnectorQuarantine';
import { backfillCreate, backfillErrors, type BackfillFields } from './connector-form';
import { Field } from './fields';
import { DEFAULT_GENERIC, GenericWebhookForm, type GenericShare } from './GenericWebhook';

type Connector = inferRouterOutputs<AppRouter>['connectors']['list'][number];
type TestOutcome = inferRouterOutputs<AppRouter>['connectors']['test'];

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The one setting each tool needs besides its secret, as the admin types it. */
const SETTINGS: Record<
  string,
  { label: string; toConfig: (v: string) => Record<string, unknown> }
> = {
  zendesk: {
    label: 'Zendesk subdomain (acme for acme.zendesk.com)',
    toConfig: (v) => ({ subdomain: v.trim() }),
  },
  gitlab: {
    label: 'Projects, group/project, comma-separated (empty: all the hook sends)',
    toConfig: (v) => ({ projects: list(v) }),
  },
  'jira-service-management': {
    label: 'Jira site (https://acme.atlassian.net)',
    toConfig: (v) => ({ site: v.trim() }),
  },
  zammad: {
    label: 'Zammad address agents open (https://support.acme.example)',
    toConfig: (v) => ({ baseUrl: v.trim() }),
  },
  chatwoot: {
    label: 'Chatwoot address (https://app.chatwoot.com)',
    toConfig: (v) => ({ baseUrl: v.trim() }),
  },
  'help-scout': {
    label: 'Mailbox ids, comma-separated (empty: all the webhook sends)',
    toConfig: (v) => ({ mailboxes: list(v).map(Number) }),
  },
  freshdesk: {
    label: 'Freshdesk subdomain (acme for acme.freshdesk.com)',
    toConfig: (v) => ({ subdomain: v.trim() }),
  },
  freshservice: {
    label: 'Freshservice subdomain (acme for acme.freshservice.com)',
    toConfig: (v) => ({ subdomain: v.trim() }),
  },
  github: {
    label: 'Repositories, owner/name, comma-separated (empty: all the hook sends)',
    toConfig: (v) => ({
      repositories: v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    }),
  },
  redmine: {
    label: 'Redmine address (https://redmine.example.org)',
    toConfig: (v) => ({ baseUrl: v.trim() }),
  },
  servicenow: {
    label: 'ServiceNow instance address (https://acme.service-now.com)',
    toConfig: (v) => ({ baseUrl: v.trim() }),
  },
  sdp: {
    label: 'ServiceDesk Plus address (https://servicedesk.example.org)',
    toConfig: (v) => ({ baseUrl: v.trim() }),
  },
};

/** Admin: the tools that send the workspace's tickets, their health, and a test event. */
export function Connectors() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.connectors.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.connectors.list.queryKey() });
  return (
    <main className="settings">
      <h1>Connectors</h1>
      <p className="muted">
        A connected tool sends every ticket&apos;s events to Deskwatch, including tickets nobody
        opened with the extension.
      </p>
      <Create onCreated={refresh} />
      <h2>Connected tools</h2>
      {list.isError && <p className="error">{list.error.message}</p>}
      {list.data?.length === 0 && <p className="muted">No tool is connected yet.</p>}
      <ul className="cards" data-testid="connectors">
        {list.data?.map((c) => (
          <ConnectorCard key={c.id} c={c} onChanged={refresh} />
        ))}
      </ul>
    </main>
  );
}

function Create({ onCreated }: { onCreated: () => void }) {
  const trpc = useTRPC();
  const tools = useQuery(trpc.connectors.tools.queryOptions());
  const [tool, setTool] = useState('zendesk');
  const [name, setName] = useState('');
  const [setting, setSetting] = useState('');
  const [secret, setSecret] = useState('');
  const [days, setDays] = useState('30');
  const [apiToken, setApiToken] = useState('');
  const [apiEmail, setApiEmail] = useState('');
  const [genericConfig, setGenericConfig] = useState<GenericShare['config']>(DEFAULT_GENERIC);
  const create = useMutation(
    trpc.connectors.create.mutationOptions({
      onSuccess: () => {
        setSecret('');
        setApiToken('');
        onCreated();
      },
    }),
  );
  const s = SETTINGS[tool];
  // A polled tool is read with an API token, back to the days the admin says; a webhook tool
  // sends; one that does both (Zendesk) may be given a token too, for the backfill.
  const intake = tools.data?.find((t) => t.id === tool)?.intake ?? 'webhook';
  const polled = intake === 'poll';
  const backfill: BackfillFields = { apiToken, apiEmail, days };
  const errors = intake === 'both' ? backfillErrors(backfill) : {};
  const invalid = Object.keys(errors).length > 0;
  return (
    <section>
      <h2>Connect a tool</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (invalid) return;
          const api = intake === 'both' ? backfillCreate(backfill) : { config: {} };
          create.mutate({
            tool,
            name,
            config:
              tool === 'generic'
                ? { ...genericConfig }
                : {
                    ...(s ? s.toConfig(setting) : {}),
                    ...(polled ? { backfillDays: Number(days) } : {}),
                    ...api.config,
                  },
            ...(secret ? (polled ? { apiToken: secret } : { webhookSecret: secret }) : {}),
            ...(api.apiToken !== undefined ? { apiToken: api.apiToken } : {}),
          });
        }}
      >
        <label>
          Tool
          <select
            name="connector-tool"
            value={tool}
            onChange={(e) => {
              setTool(e.target.value);
              setSetting('');
            }}
          >
            {tools.data?.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <Field label="Connector name">
          <input name="connector-name" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        {s && (
          <Field label={s.label}>
            <input
              name="connector-setting"
              value={setting}
              onChange={(e) => setSetting(e.target.value)}
            />
          </Field>
        )}
        {tool === 'generic' && <GenericWebhookForm name={name} onConfig={setGenericConfig} />}
        {polled && (
          <Field label="Closed tickets to read back on connect (days; all open ones are read)">
            <input
              name="connector-backfill-days"
              type="number"
              min={0}
              max={3650}
              value={days}
              onChange={(e) => setDays(e.target.value)}
            />
          </Field>
        )}
        <Field
          label={
            polled
              ? 'API token (from the tool; stored encrypted, never shown again)'
              : 'Webhook signing secret (from the tool; stored encrypted, never shown again)'
          }
        >
          <input
            name="connector-secret"
            type="password"
            autoComplete="off"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
          />
        </Field>
        {intake === 'both' && (
          <fieldset data-testid="api-backfill">
            <legend>Backfill from the API (optional)</legend>
            <p className="muted">
              With an API token Deskwatch also reads the tickets from before the webhook, and what
              it missed.
            </p>
            <Field
              label="API token (from the tool; stored encrypted, never shown again)"
              message={errors.apiToken}
            >
              <input
                name="connector-api-token"
                type="password"
                autoComplete="off"
                value={apiToken}
                onChange={(e) => setApiToken(e.target.value)}
              />
            </Field>
            <Field label="E-mail of the account the token belongs to" message={errors.apiEmail}>
              <input
                name="connector-api-email"
                type="email"
                autoComplete="off"
                value={apiEmail}
                onChange={(e) => setApiEmail(e.target.value)}
              />
            </Field>
            <Field
              label="Closed tickets to read back on connect (days; all open ones are read)"
              message={errors.backfillDays}
            >
              <input
                name="connector-backfill-days"
                type="number"
                min={0}
                max={3650}
                value={days}
                onChange={(e) => setDays(e.target.value)}
              />
            </Field>
          </fieldset>
        )}
        <button type="submit" disabled={create.isPending || invalid}>
          Connect
        </button>
      </form>
      {create.error && (
        <p className="error" role="alert">
          {create.error.message}
        </p>
      )}
      {create.data && (
        <p data-testid="created-connector" role="status">
          {create.data.polled ? (
            <>
              {create.data.name} is connected. Deskwatch reads {create.data.toolName}&apos;s tickets
              now; the card below shows how far it got.
            </>
          ) : (
            <>
              {create.data.name} is connected. In {create.data.toolName}, send webhooks to{' '}
              <code className="webhook-url" data-testid="new-webhook-url">
                {create.data.webhookUrl}
              </code>
              {create.data.hasApiToken && '; its past tickets are being read through its API'}
            </>
          )}
        </p>
      )}
    </section>
  );
}

function ConnectorCard({ c, onChanged }: { c: Connector; onChanged: () => void }) {
  const trpc = useTRPC();
  const test = useMutation(trpc.connectors.test.mutationOptions({ onSettled: onChanged }));
  const [secret, setSecret] = useState('');
  // Which secret the rotate form replaces: a tool with both has a webhook secret and a token.
  const [which, setWhich] = useState<'webhookSecret' | 'apiToken'>(
    c.intake === 'poll' ? 'apiToken' : 'webhookSecret',
  );
  const rotate = useMutation(
    trpc.connectors.rotate.mutationOptions({
      onSuccess: () => {
        setSecret('');
        onChanged();
      },
    }),
  );
  const [hours, setHours] = useState(
    c.silentAfterMs === null ? '' : String(c.silentAfterMs / 3_600_000),
  );
  const threshold = useMutation(trpc.connectors.update.mutationOptions({ onSuccess: onChanged }));
  const h = c.health;
  return (
    <li className="card" data-testid="connector" data-id={c.id}>
      <h3>
        {c.name} <span className="muted">{c.toolName}</span>
        {!c.enabled && <span className="muted"> · off</span>}
      </h3>
      {c.intake === 'poll' ? (
        <p className="muted">Read from {c.toolName}&apos;s API with its token.</p>
      ) : (
        <p>
          Webhook URL: <code className="webhook-url">{c.webhookUrl}</code>
          {!c.hasWebhookSecret && <span className="warning"> (no signing secret set yet)</span>}
        </p>
      )}
      {c.intake === 'both' && (
        <p className="muted" data-testid="api-intake">
          {c.hasApiToken
            ? `Backfilled from ${c.toolName}'s API with its token${typeof c.config.apiEmail === 'string' ? ` (${c.config.apiEmail})` : ''}.`
            : `Webhooks only: no API token, so tickets from before the webhook are not read.`}
        </p>
      )}
      <dl className="health" data-testid="connector-health">
        <dt>Last event</dt>
        <dd>{h.lastEventAt === null ? 'none yet' : ago(h.lastEventAt)}</dd>
        <dt>Lag</dt>
        <dd>{span(h.lagMs)}</dd>
        <dt>Received</dt>
        <dd data-testid="received">
          {h.received} ({h.applied} applied, {h.duplicates} duplicates)
        </dd>
        <dt>Refused</dt>
        <dd data-testid="refused">{h.refused}</dd>
        <dt>Quarantined</dt>
        <dd>{h.quarantined}</dd>
        <dt>Failures</dt>
        <dd>{h.failures}</dd>
        {h.backfill && (
          <>
            <dt>Backfill</dt>
            <dd data-testid="backfill">{backfillText(h.backfill)}</dd>
          </>
        )}
      </dl>
      {h.lastError && (
        <p className="warning" data-testid="last-error">
          {h.lastErrorAt !== null ? `${ago(h.lastErrorAt)}: ` : ''}
          {h.lastError}
        </p>
      )}
      {/* A polled tool's check is its next poll: its failures show above. */}
      {c.intake !== 'poll' && (
        <button onClick={() => test.mutate({ connectorId: c.id })} disabled={test.isPending}>
          Send a test event
        </button>
      )}
      {test.data && <TestResult r={test.data} />}
      {h.quarantined > 0 && (
        <details>
          <summary>Quarantined deliveries ({h.quarantined})</summary>
          <ConnectorQuarantine connectorId={c.id} />
        </details>
      )}
      {test.error && (
        <p className="error" role="alert">
          {test.error.message}
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          threshold.mutate({
            connectorId: c.id,
            silentAfterMs: hours.trim() === '' ? null : Math.round(Number(hours) * 3_600_000),
          });
        }}
      >
        <Field label={`Tell admins when ${c.name} is silent or failing for (hours; empty: 6)`}>
          <input
            name="connector-threshold"
            inputMode="decimal"
            value={hours}
            onChange={(e) => setHours(e.target.value)}
          />
        </Field>
        <button type="submit" disabled={threshold.isPending}>
          Save threshold
        </button>
      </form>
      {threshold.error && (
        <p className="error" role="alert">
          {threshold.error.message}
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          rotate.mutate(
            which === 'apiToken'
              ? { connectorId: c.id, apiToken: secret }
              : { connectorId: c.id, webhookSecret: secret },
          );
        }}
      >
        {c.intake === 'both' && (
          <label>
            Replace
            <select
              name="connector-rotate-which"
              value={which}
              onChange={(e) => setWhich(e.target.value as typeof which)}
            >
              <option value="webhookSecret">webhook secret</option>
              <option value="apiToken">API token</option>
            </select>
          </label>
        )}
        <Field label={`New ${which === 'apiToken' ? 'API token' : 'webhook secret'} for ${c.name}`}>
          <input
            type="password"
            autoComplete="off"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
          />
        </Field>
        <button type="submit" disabled={rotate.isPending || secret.length === 0}>
          Rotate secret
        </button>
      </form>
      {rotate.error && (
        <p className="error" role="alert">
          {rotate.error.message}
        </p>
      )}
    </li>
  );
}

/** Where reading the tool's past tickets stands: `120 of 400 tickets (open ones)`, or done. */
function backfillText(b: NonNullable<Connector['health']['backfill']>) {
  if (b.phase === 'done') return `complete: ${b.done} ticket${b.done === 1 ? '' : 's'} read`;
  const of = b.total !== null ? ` of ${b.total}` : '';
  return `${b.done}${of} tickets read (${b.phase} ones)`;
}

function TestResult({ r }: { r: TestOutcome }) {
  const tickets = r.updates.length;
  return (
    <p className={r.ok ? 'ok' : 'error'} role="status" data-testid="test-result">
      {r.ok
        ? `Test event passed: signature verified, read as ${r.kind ?? 'an event'}, would update ${tickets} ticket${tickets === 1 ? '' : 's'}.`
        : `Test event failed: ${r.reason ?? 'unknown reason'}`}
    </p>
  );
}
