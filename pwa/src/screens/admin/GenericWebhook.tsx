import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@deskwatch/server';
import { useTRPC } from '../../trpc';
import { Field } from './fields';

type Preview = inferRouterOutputs<AppRouter>['connectors']['previewGeneric'];

const SCHEMES = [
  ['hmac-sha256-hex', 'HMAC-SHA256 of the body, hex'],
  ['hmac-sha256-base64', 'HMAC-SHA256 of the body, base64'],
  ['hmac-sha1-hex', 'HMAC-SHA1 of the body, hex'],
  ['hmac-sha1-base64', 'HMAC-SHA1 of the body, base64'],
  ['token', 'The header holds the secret itself'],
] as const;

const EXAMPLE_MAPPING = `{
  "externalId": $string(ticket.id),
  "url": ticket.url,
  "subject": ticket.subject,
  "status": ticket.status,
  "statusCategory": $lookup({"new": "new", "open": "open", "waiting": "pending_customer", "solved": "solved"}, ticket.status),
  "createdAt": ticket.created_at,
  "updatedAt": ticket.updated_at
}`;

/** What the form starts with (the Create form's config until the admin edits a field). */
export const DEFAULT_GENERIC: GenericShare['config'] = {
  source: 'generic',
  signature: { header: 'X-Signature', scheme: 'hmac-sha256-hex' },
  mapping: EXAMPLE_MAPPING,
};

/** The generic webhook's settings, as shared between workspaces (JSON). */
export interface GenericShare {
  tool: 'generic';
  name: string;
  config: {
    source: string;
    signature: { header: string; scheme: string };
    deliveryIdHeader?: string;
    mapping: string;
  };
}

/**
 * The generic JSON webhook form: settings, a pasted sample and its JSONata mapping, with a live
 * preview of the events the sample would produce; export and import as JSON.
 */
export function GenericWebhookForm({
  name,
  onConfig,
}: {
  name: string;
  onConfig: (config: GenericShare['config']) => void;
}) {
  const trpc = useTRPC();
  const [source, setSource] = useState('generic');
  const [header, setHeader] = useState('X-Signature');
  const [scheme, setScheme] = useState<string>('hmac-sha256-hex');
  const [deliveryIdHeader, setDeliveryIdHeader] = useState('');
  const [mapping, setMapping] = useState(EXAMPLE_MAPPING);
  const [sample, setSample] = useState('');
  const [shared, setShared] = useState('');
  const [importError, setImportError] = useState<string | null>(null);
  const preview = useMutation(trpc.connectors.previewGeneric.mutationOptions());
  const config: GenericShare['config'] = {
    source,
    signature: { header, scheme },
    ...(deliveryIdHeader ? { deliveryIdHeader } : {}),
    mapping,
  };
  const update = (next: Partial<GenericShare['config']>) => onConfig({ ...config, ...next });
  const share: GenericShare = { tool: 'generic', name, config };
  return (
    <fieldset className="generic-webhook" data-testid="generic-webhook">
      <legend>Generic JSON webhook</legend>
      <Field label="Adapter id its tickets carry (the extension's, or generic)">
        <input
          name="generic-source"
          value={source}
          onChange={(e) => {
            setSource(e.target.value);
            update({ source: e.target.value });
          }}
        />
      </Field>
      <Field label="Signature header">
        <input
          name="generic-header"
          value={header}
          onChange={(e) => {
            setHeader(e.target.value);
            update({ signature: { header: e.target.value, scheme } });
          }}
        />
      </Field>
      <label>
        Signature scheme
        <select
          name="generic-scheme"
          value={scheme}
          onChange={(e) => {
            setScheme(e.target.value);
            update({ signature: { header, scheme: e.target.value } });
          }}
        >
          {SCHEMES.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <Field label="Delivery id header (optional)">
        <input
          name="generic-delivery-header"
          value={deliveryIdHeader}
          onChange={(e) => {
            setDeliveryIdHeader(e.target.value);
            update({ deliveryIdHeader: e.target.value || undefined });
          }}
        />
      </Field>
      <Field label="Sample payload (paste one the tool sent)">
        <textarea
          name="generic-sample"
          rows={6}
          spellCheck={false}
          value={sample}
          onChange={(e) => setSample(e.target.value)}
        />
      </Field>
      <Field label="Mapping (JSONata: payload → ticket)">
        <textarea
          name="generic-mapping"
          rows={10}
          spellCheck={false}
          value={mapping}
          onChange={(e) => {
            setMapping(e.target.value);
            update({ mapping: e.target.value });
          }}
        />
      </Field>
      <button
        type="button"
        disabled={preview.isPending || sample.trim() === ''}
        onClick={() => preview.mutate({ config, sample })}
      >
        Preview events
      </button>
      {preview.data && <PreviewResult p={preview.data} />}
      {preview.error && (
        <p className="error" role="alert">
          {preview.error.message}
        </p>
      )}
      <details>
        <summary>Share or import as JSON</summary>
        <textarea
          name="generic-share"
          rows={6}
          spellCheck={false}
          value={shared || JSON.stringify(share, null, 2)}
          onChange={(e) => setShared(e.target.value)}
        />
        <button
          type="button"
          onClick={() => {
            try {
              const s = JSON.parse(shared) as GenericShare;
              if (s.tool !== 'generic' || typeof s.config?.mapping !== 'string')
                throw new Error('not a generic webhook (tool "generic" with a mapping)');
              setSource(s.config.source ?? 'generic');
              setHeader(s.config.signature?.header ?? 'X-Signature');
              setScheme(s.config.signature?.scheme ?? 'hmac-sha256-hex');
              setDeliveryIdHeader(s.config.deliveryIdHeader ?? '');
              setMapping(s.config.mapping);
              onConfig(s.config);
              setShared('');
              setImportError(null);
            } catch (err) {
              setImportError((err as Error).message);
            }
          }}
        >
          Import
        </button>
        {importError && (
          <p className="error" role="alert">
            {importError}
          </p>
        )}
      </details>
    </fieldset>
  );
}

function PreviewResult({ p }: { p: Preview }) {
  if (!p.ok)
    return (
      <p className="error" role="status" data-testid="generic-preview">
        {p.error}
      </p>
    );
  if (p.tickets.length === 0)
    return (
      <p className="muted" role="status" data-testid="generic-preview">
        This payload maps to no ticket: it would be taken and ignored.
      </p>
    );
  return (
    <ul className="generic-preview" data-testid="generic-preview">
      {p.tickets.map((t) => (
        <li key={t.externalId}>
          <strong>{t.externalId}</strong> · {t.status}
          <ul>
            {t.events.map((e) => (
              <li key={e.id}>
                {e.type} at {new Date(e.at).toISOString()}
                {'status' in e ? ` → ${e.status} (${e.category})` : ''}
                {'priority' in e && e.type === 'priority' ? ` → ${e.priority}` : ''}
                {e.type === 'message' ? ` by ${e.author}${e.public ? '' : ', internal'}` : ''}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}
