/**
 * `npm run bench -- watch`: the watcher process (started exactly as `nx run legacy-watcher:watch`) on a folder of
 * 100,000 generated legacy logs in 100 folders: peak RSS including the initial import and 200 changed files,
 * goal < 200 MB (the watcher's memory goal), and every change seen. Prints ONE JSON document on stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate, watchInChild } from './ingest.bench';

const FILES = 100_000;
const FOLDERS = 100;
const progress = (s: string) => process.stderr.write(`watch bench: ${s}\n`);

export async function main(_argv: string[]): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'kelly-watch-bench-'));
  try {
    const dir = join(root, 'logs');
    progress(`generating ${FILES} legacy logs in ${FOLDERS} folders`);
    generate(dir, FILES, FOLDERS);
    progress('watching them in a child process (initial import, then 200 changed files)');
    const watch = await watchInChild(dir, join(root, 'watch.db'));
    const doc = {
      figures: {
        files: FILES,
        folders: FOLDERS,
        watchInitialImportMs: watch.initialMs,
        watchChangedFiles: watch.changed,
        watchChangedSeen: watch.changedSeen,
        watchPeakRssMb: watch.maxRssMb,
      },
      goals: { watchPeakRssMb: '< 200' },
      met: { watchPeakRssMb: watch.maxRssMb < 200, watchSawEveryChange: watch.changedSeen >= watch.changed },
    };
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main(process.argv);
}
