'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../lib/trpc-client';
import { GateReportView } from './gate-report-view';

const ALIASES = ['candidate', 'staging', 'production'] as const;
type Alias = (typeof ALIASES)[number];

/** Promote a run: first the gates are checked and shown, then the person confirms (forcing needs a reason). */
export function PromotePanel({ initialRunId = '' }: { initialRunId?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [runId, setRunId] = useState(initialRunId);
  const [alias, setAlias] = useState<Alias>('production');
  const [note, setNote] = useState('');
  const [checked, setChecked] = useState<{ runId: string; alias: Alias } | undefined>();
  const [force, setForce] = useState(false);
  const [reason, setReason] = useState('');
  const preview = useQuery({
    ...trpc.models.preview.queryOptions(checked ?? { runId: '-', alias }),
    enabled: !!checked,
    staleTime: 0,
  });
  const promote = useMutation(
    trpc.models.promote.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() }),
    }),
  );
  const report = checked ? preview.data : undefined;
  const canConfirm = !!report && (report.passed || (force && reason.trim().length > 0)) && !promote.isPending;
  return (
    <div className="panel" data-testid="promote-panel">
      <div className="row">
        <label>
          run id{' '}
          <input
            type="text"
            value={runId}
            onChange={(e) => (setRunId(e.target.value), setChecked(undefined))}
            aria-label="run id"
            size={28}
          />
        </label>
        <label>
          alias{' '}
          <select
            value={alias}
            onChange={(e) => (setAlias(e.target.value as Alias), setChecked(undefined))}
            aria-label="alias"
          >
            {ALIASES.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          note{' '}
          <input
            type="text"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            aria-label="note"
            size={30}
          />
        </label>
        <button
          disabled={!runId.trim()}
          onClick={() => (promote.reset(), setChecked({ runId: runId.trim(), alias }))}
          data-testid="check-gates"
        >
          check gates
        </button>
      </div>
      {checked && preview.isFetching && <p className="muted">checking gates…</p>}
      {preview.error && checked && <div className="error-box">{preview.error.message}</div>}
      {report && (
        <>
          <GateReportView report={report} />
          {!report.passed && (
            <div className="row" style={{ marginTop: 6 }}>
              <label>
                <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> force
                (recorded as forced)
              </label>
              <input
                type="text"
                placeholder="reason (required to force)"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                size={50}
                aria-label="reason"
              />
            </div>
          )}
          <div className="row" style={{ marginTop: 6 }}>
            <button
              className="primary"
              disabled={!canConfirm}
              data-testid="confirm-promote"
              onClick={() =>
                promote.mutate({
                  runId: checked!.runId,
                  alias: checked!.alias,
                  note: note || undefined,
                  force: force || undefined,
                  reason: force ? reason : undefined,
                })
              }
            >
              {promote.isPending ? 'promoting…' : `promote to ${checked!.alias}`}
            </button>
          </div>
        </>
      )}
      {promote.error && <div className="error-box">{promote.error.message}</div>}
      {promote.data && (
        <p data-testid="promote-result">
          {promote.data.model} v{promote.data.version} is now <strong>{promote.data.alias}</strong>
          {promote.data.fromVersion !== null ? ` (was v${promote.data.fromVersion})` : ''}
          {promote.data.forced ? ' — forced' : ''}
          {promote.data.published ? ' — published' : ''}
        </p>
      )}
    </div>
  );
}
