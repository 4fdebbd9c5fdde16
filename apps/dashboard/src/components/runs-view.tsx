'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { formatDuration, formatTime } from '../lib/format';
import type { RouterInputs } from '../lib/router-types';
import { useTRPC } from '../lib/trpc-client';
import { AnomalyBadges, Num, StatusChip } from './status-chip';

type ListInput = RouterInputs['runs']['list'];
const FILTERS = ['experiment', 'status', 'anomaly', 'source', 'tag', 'q'] as const;
const STATUSES = ['RUNNING', 'FINISHED', 'FAILED', 'KILLED', 'CRASHED'];
const SORTABLE: { key: NonNullable<ListInput['sort']>; label: string }[] = [
  { key: 'startedAt', label: 'started' },
  { key: 'durationS', label: 'duration' },
  { key: 'experiment', label: 'experiment' },
  { key: 'status', label: 'status' },
];

/** The runs table. Filters, sort and cursor live in the URL so a view can be shared and reloaded. */
export function RunsView() {
  const trpc = useTRPC();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const [selected, setSelected] = useState<string[]>([]);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];

  const input: ListInput = {
    limit: 50,
    cursor,
    sort: (params.get('sort') as ListInput['sort']) ?? 'startedAt',
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
  };
  for (const f of FILTERS) {
    const v = params.get(f);
    if (v) (input as Record<string, unknown>)[f] = v;
  }
  const facets = useQuery(trpc.runs.facets.queryOptions());
  const list = useQuery({
    ...trpc.runs.list.queryOptions(input),
    placeholderData: (prev) => prev,
    // Live: every 2 s while a shown run is RUNNING; every 15 s otherwise, so new runs appear.
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.status === 'RUNNING') ? 2_000 : 15_000),
  });

  const setParam = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params.toString());
    if (value) next.set(key, value);
    else next.delete(key);
    setCursors([undefined]);
    router.replace(`${pathname}?${next.toString()}`);
  };
  const sortBy = (key: string) => {
    const next = new URLSearchParams(params.toString());
    next.set('order', input.sort === key && input.order === 'desc' ? 'asc' : 'desc');
    next.set('sort', key);
    setCursors([undefined]);
    router.replace(`${pathname}?${next.toString()}`);
  };
  const toggle = (id: string) =>
    setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : s.length >= 10 ? s : [...s, id]));

  const select = (name: (typeof FILTERS)[number], options: readonly string[]) => (
    <label>
      {name}{' '}
      <select
        value={params.get(name) ?? ''}
        onChange={(e) => setParam(name, e.target.value || undefined)}
        aria-label={`filter ${name}`}
      >
        <option value="">all</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
  const items = list.data?.items ?? [];
  return (
    <>
      <div className="panel row">
        {select('experiment', facets.data?.experiments ?? [])}
        {select('status', STATUSES)}
        {select('anomaly', facets.data?.rules ?? [])}
        {select('source', ['live', 'legacy'])}
        {select('tag', facets.data?.tags ?? [])}
        <input
          type="search"
          placeholder="search id, name, notes, error"
          defaultValue={params.get('q') ?? ''}
          aria-label="search runs"
          onKeyDown={(e) => e.key === 'Enter' && setParam('q', e.currentTarget.value.trim() || undefined)}
        />
        <span style={{ flex: 1 }} />
        <button
          className="primary"
          disabled={selected.length < 2}
          data-testid="compare-selected"
          onClick={() => router.push(`/compare?runs=${selected.map(encodeURIComponent).join(',')}`)}
        >
          Compare {selected.length || ''}
        </button>
      </div>
      {list.error && <div className="error-box">{list.error.message}</div>}
      <div className="scroll-x">
        <table className="data" data-testid="runs-table" data-loaded={list.isSuccess ? 'true' : 'false'}>
          <thead>
            <tr>
              <th />
              <th>run</th>
              {SORTABLE.slice(2).map((s) => (
                <th key={s.key}>
                  <button className="sort" onClick={() => sortBy(s.key)}>
                    {s.label}
                    {input.sort === s.key ? (input.order === 'asc' ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
              <th>anomalies</th>
              <th>source</th>
              <th>
                <button className="sort" onClick={() => sortBy('startedAt')}>
                  started{input.sort === 'startedAt' ? (input.order === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              </th>
              <th>
                <button className="sort" onClick={() => sortBy('durationS')}>
                  duration{input.sort === 'durationS' ? (input.order === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              </th>
              <th>final loss</th>
              <th>best loss</th>
              <th>key metric</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr
                key={r.id}
                data-run-id={r.id}
                data-status={r.status}
                className={selected.includes(r.id) ? 'selected' : undefined}
              >
                <td>
                  <input
                    type="checkbox"
                    checked={selected.includes(r.id)}
                    onChange={() => toggle(r.id)}
                    aria-label={`select ${r.id}`}
                  />
                </td>
                <td>
                  <Link href={`/runs/${encodeURIComponent(r.id)}`}>{r.name ?? r.id}</Link>
                  {r.name && r.name !== r.id ? <div className="muted mono">{r.id}</div> : null}
                </td>
                <td>{r.experiment}</td>
                <td>
                  <StatusChip status={r.status} />
                </td>
                <td>
                  <AnomalyBadges rules={r.anomalies} />
                </td>
                <td>{r.source}</td>
                <td>{formatTime(r.startedAt)}</td>
                <td className="num">{formatDuration(r.durationS)}</td>
                <td className="num">
                  <Num value={r.finalLoss} />
                </td>
                <td className="num">
                  <Num value={r.bestLoss} />
                </td>
                <td className="num">
                  {r.keyMetric ? (
                    <>
                      {r.keyMetric.key} <Num value={r.keyMetric.value} />
                    </>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
            {list.isSuccess && items.length === 0 && (
              <tr>
                <td colSpan={11} className="muted">
                  {FILTERS.some((f) => params.get(f)) ? (
                    'no runs match these filters'
                  ) : (
                    <>
                      no runs yet: train one (<code>npx nx run trainer:melody</code>) or import the old logs (
                      <code>npx kelly ingest &lt;dir&gt;</code>)
                    </>
                  )}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <div className="row" style={{ marginTop: 8 }}>
        <button disabled={cursors.length < 2} onClick={() => setCursors((c) => c.slice(0, -1))}>
          ← newer
        </button>
        <button
          disabled={!list.data?.nextCursor}
          onClick={() =>
            list.data?.nextCursor && setCursors((c) => [...c, list.data.nextCursor ?? undefined])
          }
        >
          older →
        </button>
        <span className="muted">
          page {cursors.length}
          {list.isFetching ? ' · refreshing…' : ''}
        </span>
      </div>
    </>
  );
}
