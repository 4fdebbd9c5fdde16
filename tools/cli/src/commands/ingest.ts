import { ingestDir, ingestDirRemote, type IngestDirResult } from '@kelly/legacy';
import { registryModelHistory } from '@kelly/registry';
import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { z } from 'zod';
import { UsageError, type CliContext } from '../context';
import { remoteTarget } from './remote-ingest-target';
import type { RegisterCommand } from './register-command';

const IngestFlags = z.object({ json: z.boolean().default(false), hostLabel: z.string().optional() });

/** How long `kelly ingest --tracking-uri` retries an unreachable server before it fails (ms). */
const INGEST_GIVE_UP_MS = 30_000;

/** Resolves a directory argument or throws a UsageError naming it. */
export function requireDir(dir: string): string {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new UsageError(`directory not found: ${dir}`);
  }
  if (!isDir) throw new UsageError(`not a directory: ${dir}`);
  return dir;
}

/** `kelly ingest <dir> [--json]`: one pass over a folder of legacy logs, then a summary. */
export const registerIngest: RegisterCommand = (program: Command, ctx: CliContext) => {
  program
    .command('ingest')
    .description(
      'import a folder of legacy Kelly training logs once (recursive; old registry.json files become model history), then print a summary; with --tracking-uri into that server',
    )
    .argument('<dir>', 'folder of legacy logs, e.g. kelly-audio-data/logs/training')
    .option(
      '--json',
      'print one JSON document: files (path relative to <dir>, outcome, reason, runId) and totals',
    )
    .option(
      '--host-label <name>',
      "with --tracking-uri: this machine's name in the server's records (host:path; default the hostname)",
    )
    .action(async (dir: string, raw: unknown) => {
      const flags = IngestFlags.parse(raw);
      requireDir(dir);
      // one line per decision: on stderr with --json (stdout holds only the document), else on stdout
      const log = flags.json ? (line: string) => ctx.err(line) : (line: string) => ctx.out(line);
      const uri = ctx.trackingUri();
      if (uri) {
        // the same pass, read here and imported by the server (legacyFilesRoute); decisions come back
        const target = remoteTarget(ctx, uri, flags.hostLabel, log, INGEST_GIVE_UP_MS);
        const result = await ingestDirRemote(dir, { ...target, logUnchanged: true });
        printResult(ctx, result, flags.json, uri);
        return;
      }
      const tracker = ctx.openStore('kelly ingest');
      try {
        tracker.sweepStale(); // a write command stores the crash of dead runs (reads only show it)
        const result = await ingestDir(tracker, dir, {
          log,
          logUnchanged: true,
          onDocument: registryModelHistory(tracker),
        });
        printResult(ctx, result, flags.json);
      } finally {
        tracker.close();
      }
    });
};

/** The pass's report: one JSON document, or a one-line summary. `server`: the tracking URI it went to. */
function printResult(ctx: CliContext, result: IngestDirResult, json: boolean, server?: string): void {
  if (json) {
    ctx.out(
      JSON.stringify(
        {
          dir: result.dir,
          ...(server ? { server } : {}),
          files: result.files.map((f) => ({
            path: f.relPath,
            outcome: f.outcome,
            reason: f.reason,
            runId: f.runId,
            runStatus: f.runStatus,
            byteOffset: f.byteOffset,
            sha256: f.sha256,
            changed: f.changed,
          })),
          totals: result.totals,
          // symbolic links (never followed) and unlistable subfolders: reported, not recorded
          skipped: result.skipped.map((k) => ({ path: k.relPath, reason: k.reason })),
        },
        null,
        2,
      ),
    );
    return;
  }
  const t = result.totals;
  ctx.out(
    `${result.files.length} file(s) in ${result.dir}${server ? ` on ${server}` : ''}: ${t.imported} imported, ${t.duplicate} duplicate, ` +
      (t.conflict ? `${t.conflict} conflict (same run id, other content: see above), ` : '') +
      `${t.updated} updated, ${t.unparseable} unparseable, ${t.ignored} ignored, ${t.missing} missing ` +
      `(${t.unchanged} unchanged since the last pass)` +
      (result.skipped.length ? `; ${result.skipped.length} skipped (symbolic links are not followed)` : ''),
  );
}
