// Query functions written for the dashboard's own pages (filters, run meta editing, ingestion status).
export { runFacets, type RunFacets } from './dashboard-facets';
export { updateRunMeta, RunMetaSchema, type RunMeta } from './dashboard-run-meta';
export { ingestionOverview, type IngestionOverview, type IngestFileView, type WatcherView } from './dashboard-ingestion';
