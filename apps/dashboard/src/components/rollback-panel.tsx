'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../lib/trpc-client';

const ALIASES = ['candidate', 'staging', 'production'] as const;
type Alias = (typeof ALIASES)[number];

interface HistoryEvent {
  action: string;
  alias: string | null;
  fromVersion: number | null;
  toVersion: number | null;
}

/**
 * Where a rollback of `alias` would go: the version the alias pointed to before the promotion that brought it
 * to `current` (rollbacks are not followed, so rolling back twice walks further back), as `rollback` decides.
 */
export function rollbackTarget(history: HistoryEvent[], alias: Alias, current: number): number | null {
  const promotion = history.find(
    (e) => e.action === 'promote' && e.alias === alias && e.toVersion === current,
  );
  return promotion?.fromVersion ?? null;
}

/** One button per alias that has an earlier version; confirming asks for a reason and republishes production. */
export function RollbackPanel({
  model,
  current,
  history,
}: {
  model: string;
  /** alias → version it points to now */
  current: Partial<Record<Alias, number>>;
  /** newest first, as `models.get` returns it */
  history: HistoryEvent[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<Alias | undefined>();
  const [reason, setReason] = useState('');
  const run = useMutation(
    trpc.models.rollback.mutationOptions({
      onSuccess: () => {
        setOpen(undefined);
        setReason('');
        return queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() });
      },
    }),
  );
  const targets = ALIASES.flatMap((alias) => {
    const from = current[alias];
    const to = from === undefined ? null : rollbackTarget(history, alias, from);
    return from !== undefined && to !== null ? [{ alias, from, to }] : [];
  });
  if (targets.length === 0 && !run.data && !run.error) return null;
  return (
    <div className="panel" data-testid="rollback-panel">
      <div className="row">
        {targets.map((t) => (
          <button
            key={t.alias}
            data-testid={`rollback-${t.alias}`}
            onClick={() => (run.reset(), setOpen(t.alias))}
            disabled={run.isPending}
          >
            roll back {t.alias}: v{t.from} → v{t.to}
          </button>
        ))}
      </div>
      {open && (
        <div className="row">
          <label>
            reason{' '}
            <input
              type="text"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              aria-label="rollback reason"
              data-testid="rollback-reason"
              size={40}
            />
          </label>
          <button
            data-testid="confirm-rollback"
            disabled={run.isPending}
            onClick={() =>
              run.mutate({ model, alias: open, ...(reason.trim() ? { reason: reason.trim() } : {}) })
            }
          >
            {run.isPending ? 'rolling back…' : `confirm: roll back ${open}`}
          </button>
          <button onClick={() => setOpen(undefined)}>cancel</button>
        </div>
      )}
      {run.error && <div className="error-box">{run.error.message}</div>}
      {run.data && (
        <p data-testid="rollback-result">
          {run.data.model} {run.data.alias}: v{run.data.fromVersion} → v{run.data.toVersion}
          {run.data.published ? ' — republished' : ''}
        </p>
      )}
    </div>
  );
}
