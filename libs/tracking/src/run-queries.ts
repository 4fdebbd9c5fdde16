import { listAnomalies, type ListAnomaliesInput } from './queries/anomaly-queries';
import { compareRuns, type CompareRunsInput, type Comparison } from './queries/compare-runs';
import { getRun } from './queries/get-run';
import { listRuns, type ListRunsInput, type RunPage } from './queries/list-runs';
import { metricSeries, type MetricSeries, type MetricSeriesInput } from './queries/metric-series';
import type { RunDetail } from './queries/run-detail';
import { RunNotFoundError } from './queries/run-item';
import { TrackingHttp, TrackingServerError } from './remote/tracking-http';
import type { Tracker } from './tracker';

/**
 * The shared read queries as one async interface, over a local store or a Kelly server (`GET /api/tracking/…`):
 * what the CLI's read commands use, so `--tracking-uri` reads what a server holds.
 */
export interface RunQueries {
  listRuns(input: ListRunsInput): Promise<RunPage>;
  /** @throws RunNotFoundError for an unknown id. */
  getRun(id: string): Promise<RunDetail>;
  metricSeries(input: MetricSeriesInput): Promise<MetricSeries[]>;
  compareRuns(input: CompareRunsInput): Promise<Comparison>;
  listAnomalies(input: ListAnomaliesInput): Promise<ReturnType<typeof listAnomalies>>;
}

export function localQueries(tracker: Tracker): RunQueries {
  return {
    listRuns: async (input) => listRuns(tracker, input),
    getRun: async (id) => getRun(tracker, id),
    metricSeries: async (input) => metricSeries(tracker, input),
    compareRuns: async (input) => compareRuns(tracker, input),
    listAnomalies: async (input) => listAnomalies(tracker, input),
  };
}

/** Reads from a server. @throws TrackingServerError (status 0 unreachable, 401 token, 400 bad input, 404). */
export function remoteQueries(trackingUri: string, token?: string): RunQueries {
  const http = new TrackingHttp(trackingUri, token);
  return {
    listRuns: (input) => http.get('/runs', input),
    getRun: (id) =>
      http.get<RunDetail>(`/runs/${encodeURIComponent(id)}`).catch((e: unknown) => {
        throw e instanceof TrackingServerError && e.status === 404 ? new RunNotFoundError(id) : e;
      }),
    metricSeries: (input) => http.get('/series', input),
    compareRuns: (input) => http.get('/compare', input),
    listAnomalies: (input) => http.get('/anomalies', input),
  };
}
