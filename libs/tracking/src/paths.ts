import { join, resolve } from 'node:path';

/** Where Kelly keeps its data. `home` defaults to `./.kelly` (relative to the working directory). */
export interface KellyPaths {
  home: string;
  /** `<home>/tracking.db`, the SQLite store. */
  db: string;
  /** `<home>/artifacts`, the root every artifact path is relative to. */
  artifacts: string;
  /** `<home>/models`, the default publish folder of the registry. */
  models: string;
  /** `<home>/bench`, where `npm run bench` writes its JSON. */
  bench: string;
}

/** Resolves the Kelly home: an explicit `home` wins, then `envHome` (KELLY_HOME), then `./.kelly`. */
export function kellyPaths(home?: string, envHome?: string): KellyPaths {
  const root = resolve(home ?? envHome ?? '.kelly');
  return {
    home: root,
    db: join(root, 'tracking.db'),
    artifacts: join(root, 'artifacts'),
    models: join(root, 'models'),
    bench: join(root, 'bench'),
  };
}
