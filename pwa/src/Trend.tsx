/** A figure with the previous period beside it: ▲ / ▼ and what it was. */
export function Trend({
  now,
  before,
  show,
  higherIsBetter = true,
}: {
  now: number | null;
  before: number | null;
  show: (v: number | null) => string;
  higherIsBetter?: boolean;
}) {
  if (now === null || before === null || now === before)
    return <span className="muted"> (before: {show(before)})</span>;
  const up = now > before;
  return (
    <span className={up === higherIsBetter ? 'trend good' : 'trend bad'}>
      {' '}
      {up ? '▲' : '▼'} from {show(before)}
    </span>
  );
}
