/** The benchmarks `npm run bench` knows: name → script that prints one JSON document on stdout. */
export const benches: Record<string, string> = {
  tracking: 'libs/tracking/bench/tracking.bench.ts',
  ingest: 'tools/legacy-watcher/bench/ingest.bench.ts',
  watch: 'tools/legacy-watcher/bench/watch.bench.ts',
  features: 'libs/features/bench/features.bench.ts',
  lstm: 'libs/models/bench/lstm.bench.ts',
  dashboard: 'apps/dashboard/bench/dashboard.bench.ts',
  remote: 'libs/tracking/bench/remote.bench.ts',
  media: 'apps/trainer/bench/media.bench.ts',
  rtneural: 'apps/trainer/bench/rtneural.bench.ts',
  'melody-quality': 'apps/trainer/bench/melody-quality.bench.ts',
};
