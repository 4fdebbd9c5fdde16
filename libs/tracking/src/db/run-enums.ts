/** Run statuses and sources (no drizzle import: also used where only the import schema is needed). */
export const RUN_STATUSES = ['RUNNING', 'FINISHED', 'FAILED', 'KILLED', 'CRASHED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const RUN_SOURCES = ['live', 'legacy'] as const;
export type RunSource = (typeof RUN_SOURCES)[number];
