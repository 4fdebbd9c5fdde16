// Query functions written for the dashboard's own pages (filters, loss columns, run meta editing, legacy file).
export { runFacets, type RunFacets } from './dashboard-facets';
export { updateRunMeta, RunMetaSchema, type RunMeta } from './dashboard-run-meta';
export { runLosses, listRunsWithLosses, type RunLosses } from './dashboard-run-losses';
export { legacyFileOfRun, type LegacyFileOfRun } from './dashboard-legacy-file';
