import type { TrackingClient } from './client-api';
import { getRun } from './queries/get-run';
import type { RunDetail } from './queries/run-detail';
import { RunNotFoundError } from './queries/run-item';
import { RemoteTracker } from './remote/remote-tracker';
import { Tracker } from './tracker';

/** A stored run (metrics summary, artifacts, findings) from a local store or a server; null for an unknown id. */
export async function readRun(client: TrackingClient, id: string): Promise<RunDetail | null> {
  if (client instanceof RemoteTracker) return client.readRun(id);
  if (!(client instanceof Tracker)) throw new Error('readRun: not a Tracker or RemoteTracker');
  try {
    return getRun(client, id);
  } catch (e) {
    if (e instanceof RunNotFoundError) return null;
    throw e;
  }
}
