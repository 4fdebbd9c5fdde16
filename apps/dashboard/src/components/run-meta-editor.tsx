'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../lib/trpc-client';

/** Tags (comma-separated) and notes of a run, saved through runs.update. */
export function RunMetaEditor({
  runId,
  tags,
  notes,
}: {
  runId: string;
  tags: readonly string[];
  notes: string | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [tagText, setTagText] = useState(tags.join(', '));
  const [noteText, setNoteText] = useState(notes ?? '');
  const save = useMutation(
    trpc.runs.update.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.runs.get.queryKey({ id: runId }) }),
    }),
  );
  const dirty = tagText !== tags.join(', ') || noteText !== (notes ?? '');
  return (
    <div className="panel" data-testid="run-meta">
      <div className="row">
        <label>
          tags{' '}
          <input
            type="text"
            value={tagText}
            onChange={(e) => setTagText(e.target.value)}
            size={40}
            aria-label="tags"
          />
        </label>
        <button
          className="primary"
          disabled={!dirty || save.isPending}
          onClick={() =>
            save.mutate({
              id: runId,
              tags: tagText
                .split(',')
                .map((t) => t.trim())
                .filter(Boolean),
              notes: noteText,
            })
          }
        >
          {save.isPending ? 'saving…' : 'save'}
        </button>
        {save.isSuccess && !dirty && <span className="muted">saved</span>}
        {save.error && <span className="nonfinite">{save.error.message}</span>}
      </div>
      <textarea
        value={noteText}
        onChange={(e) => setNoteText(e.target.value)}
        rows={3}
        style={{ width: '100%', marginTop: 6 }}
        placeholder="notes"
        aria-label="notes"
      />
    </div>
  );
}
