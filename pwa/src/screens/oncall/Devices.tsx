import { useMutation, useQuery } from '@tanstack/react-query';
import { ago } from '../../format';
import { useTRPC } from '../../trpc';
import { Unavailable } from '../../Unavailable';

const STATUS_LABEL = {
  working: 'Working',
  failing: 'Failing',
  retired: 'Retired (the browser dropped it)',
  untested: 'Nothing sent yet',
} as const;

/**
 * Device status: each notification device's last success, last failure and its category, and
 * whether the browser retired it; a test per device. Managers see the whole team's.
 */
export function Devices({ role }: { role: 'agent' | 'manager' | 'admin' }) {
  const trpc = useTRPC();
  const devices = useQuery(trpc.shifts.devices.queryOptions());
  const test = useMutation(
    trpc.shifts.sendTest.mutationOptions({ onSettled: () => void devices.refetch() }),
  );
  const team = role !== 'agent';
  return (
    <main className="oncall">
      <h1>{team ? 'Team devices' : 'My devices'}</h1>
      <p className="muted">
        Pages reach people on these devices. Turn notifications on in{' '}
        <a href="/settings">Settings</a>.
      </p>
      {!devices.data && <Unavailable query={devices} what="Devices" />}
      {devices.data?.length === 0 && <p className="muted">No notification device yet.</p>}
      <ul className="plain">
        {devices.data?.map((d) => (
          <li key={d.id} className="card" data-testid="device" data-status={d.status}>
            <div className="row">
              <strong>{team ? `${d.userName} · ${d.host}` : d.host}</strong>
              <span data-testid="device-status">{STATUS_LABEL[d.status]}</span>
            </div>
            <div className="muted">
              Last success: {d.lastSuccessAt ? ago(d.lastSuccessAt) : 'never'} · last failure:{' '}
              {d.lastFailureAt ? `${ago(d.lastFailureAt)} (${d.lastError ?? 'unknown'})` : 'never'}
            </div>
            {d.status !== 'retired' && (
              <button
                type="button"
                disabled={test.isPending}
                onClick={() => test.mutate({ deviceId: d.id })}
              >
                Send test
              </button>
            )}
            {test.data && test.variables?.deviceId === d.id && (
              <span data-testid="test-result">
                {' '}
                {test.data[0] ? `${test.data[0].status} (${test.data[0].detail})` : 'not sent'}
              </span>
            )}
          </li>
        ))}
      </ul>
      {test.error && (
        <p role="alert" className="error">
          {test.error.message}
        </p>
      )}
    </main>
  );
}
