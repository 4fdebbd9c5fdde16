'use client';
import { useMemo, useState } from 'react';
import { formatValue } from '../lib/format';

interface Line {
  path: string;
  depth: number;
  key: string;
  /** Leaf text, or undefined for an object/array header. */
  leaf?: string;
}

function leafText(v: unknown): string {
  if (typeof v === 'number') return formatValue(v, 8);
  if (typeof v === 'string') return JSON.stringify(v);
  return JSON.stringify(v);
}

function lines(value: unknown, path = '', depth = 0, out: Line[] = []): Line[] {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
      if (path) out[out.length - 1]!.leaf = `[${value.map(leafText).join(', ')}]`;
      return out;
    }
    for (const [k, v] of entries) {
      const p = path ? `${path}.${k}` : k;
      out.push({
        path: p,
        depth,
        key: k,
        leaf: v !== null && typeof v === 'object' ? undefined : leafText(v),
      });
      lines(v, p, depth + 1, out);
    }
  }
  return out;
}

/** JSON with non-finite numbers as strings ("NaN", "Infinity"), for the clipboard. */
function toClipboardJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
    2,
  );
}

/** The run's nested config: filter by key or value (matching lines keep their parents), copy as JSON. */
export function ConfigTree({ config }: { config: unknown }) {
  const [query, setQuery] = useState('');
  const [copied, setCopied] = useState(false);
  const all = useMemo(() => lines(config), [config]);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return all;
    const hits = all.filter(
      (l) => l.path.toLowerCase().includes(q) || (l.leaf ?? '').toLowerCase().includes(q),
    );
    const keep = new Set<string>();
    for (const h of hits) {
      const parts = h.path.split('.');
      for (let i = 1; i <= parts.length; i++) keep.add(parts.slice(0, i).join('.'));
    }
    return all.filter((l) => keep.has(l.path));
  }, [all, query]);
  const mark = (text: string) => {
    const q = query.trim();
    const i = q ? text.toLowerCase().indexOf(q.toLowerCase()) : -1;
    if (i < 0) return text;
    return (
      <>
        {text.slice(0, i)}
        <mark>{text.slice(i, i + q.length)}</mark>
        {text.slice(i + q.length)}
      </>
    );
  };
  return (
    <div>
      <div className="row" style={{ marginBottom: 6 }}>
        <input
          type="search"
          placeholder="search keys and values"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label="search config"
        />
        <button
          onClick={() => {
            void navigator.clipboard?.writeText(toClipboardJson(config)).then(() => setCopied(true));
          }}
        >
          {copied ? 'copied' : 'copy JSON'}
        </button>
        <span className="muted">
          {query ? `${shown.length} of ${all.length} lines` : `${all.length} lines`}
        </span>
      </div>
      <div className="tree mono" data-testid="config-tree">
        {shown.map((l) => (
          <div key={l.path} style={{ paddingLeft: l.depth * 16 }} title={l.path}>
            <span className="key">{mark(l.key)}</span>
            {l.leaf !== undefined ? <>: {mark(l.leaf)}</> : null}
          </div>
        ))}
      </div>
    </div>
  );
}
