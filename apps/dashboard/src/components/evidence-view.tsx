import { formatValue } from '../lib/format';

function show(v: unknown): string {
  if (typeof v === 'number') return formatValue(v, 6);
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length > 12)
    return `[${v.slice(0, 12).map(show).join(', ')}, … ${v.length - 12} more]`;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (v !== null && typeof v === 'object')
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${k}: ${show(x)}`)
      .join(', ')} }`;
  return String(v);
}

/** A JSON object as key/value lines, non-finite numbers spelled NaN / +Inf / −Inf. */
export function EvidenceView({ evidence }: { evidence: Record<string, unknown> }) {
  const entries = Object.entries(evidence);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <dl className="kv mono">
      {entries.map(([k, v]) => (
        <div key={k} style={{ display: 'contents' }}>
          <dt>{k}</dt>
          <dd>{show(v)}</dd>
        </div>
      ))}
    </dl>
  );
}
