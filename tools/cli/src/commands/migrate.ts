import { copyStore, openStore, type CopyProgress, type StoreCopyReport } from '@kelly/tracking';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { UsageError, type CliContext } from '../context';
import { parseFlags, table, toJsonText } from './runs';
import type { RegisterCommand } from './register-command';

const MigrateFlags = z.object({
  to: z
    .string({ error: 'required: the PostgreSQL database, postgres://user[:password]@host[:port]/database' })
    .regex(/^postgres(ql)?:\/\/[^\s]+$/, 'must be a postgres://user[:password]@host[:port]/database URL'),
  from: z.string().min(1).optional(),
  batch: z.coerce
    .number({ error: 'must be a number of rows' })
    .int('must be a whole number of rows')
    .min(1, 'must be at least 1')
    .max(10_000, 'must be at most 10000')
    .optional(),
  json: z.boolean().optional(),
});

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`: what the output may show. */
export function maskPassword(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/** A bar per table on a terminal; otherwise one line per finished table (logs stay readable). */
function progressReporter(ctx: CliContext, tty: boolean): { update(p: CopyProgress): void; stop(): void } {
  if (!tty) {
    return {
      update: (p) => {
        if (p.done === p.total) ctx.err(`${p.table}: ${p.total} row(s) copied or checked`);
      },
      stop: () => undefined,
    };
  }
  const bar = new SingleBar(
    { format: '{table} [{bar}] {value}/{total} rows', stream: process.stderr, clearOnComplete: false },
    Presets.shades_classic,
  );
  let current = '';
  return {
    update: (p) => {
      if (p.table !== current) {
        if (current) bar.stop();
        current = p.table;
        bar.start(p.total, p.done, { table: p.table.padEnd(20) });
      } else bar.update(p.done);
    },
    stop: () => {
      if (current) bar.stop();
    },
  };
}

function printReport(ctx: CliContext, report: StoreCopyReport): void {
  ctx.out(
    table(
      ['TABLE', 'SOURCE ROWS', 'COPIED', 'TARGET ROWS', 'SOURCE CHECKSUM', 'TARGET CHECKSUM', ''],
      report.tables.map((t) => [
        t.table,
        String(t.sourceRows),
        String(t.copied),
        t.targetTotal === t.targetRows
          ? String(t.targetRows)
          : `${t.targetRows} (+${t.targetTotal - t.targetRows} other)`,
        t.sourceChecksum,
        t.targetChecksum,
        t.equal ? 'ok' : 'MISMATCH',
      ]),
    ),
  );
}

/**
 * `kelly migrate --to postgres://…`: copies the whole SQLite store of `--home` (or `--from <file>`) into a
 * PostgreSQL database (its migrations applied first), verified per table by counts and checksums; safe to re-run.
 * Exit 1 when a table does not verify or the target holds a different row under a source key (named).
 */
export const registerMigrate: RegisterCommand = (program: Command, ctx: CliContext) => {
  program
    .command('migrate')
    .description(
      'copy the SQLite store into PostgreSQL, verified by per-table counts and checksums (re-runnable)',
    )
    .requiredOption('--to <url>', 'the PostgreSQL database: postgres://user[:password]@host[:port]/database')
    .option('--from <file>', 'the SQLite store to copy (default <home>/tracking.db)')
    .option('--batch <rows>', 'rows per insert and transaction (default 1000)')
    .option('--json', 'print one JSON document { to, from, equal, tables }')
    .action((raw: unknown) => {
      const f = parseFlags(MigrateFlags, raw);
      if (ctx.trackingUri())
        throw new UsageError(
          'kelly migrate copies the local store: run it without --tracking-uri / KELLY_TRACKING_URI',
        );
      const from = f.from ?? ctx.paths().db;
      if (!existsSync(from)) throw new UsageError(`--from: no SQLite store at ${from}`);
      const source = openStore({ path: from });
      let target: ReturnType<typeof openStore>;
      try {
        target = openStore({ path: f.to });
      } catch (e) {
        source.sql.close();
        throw new Error(`--to ${maskPassword(f.to)}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const progress = progressReporter(ctx, !f.json && process.stderr.isTTY === true);
      let report: StoreCopyReport;
      try {
        report = copyStore(source.sql, target.sql, {
          ...(f.batch && { batchRows: f.batch }),
          onProgress: (p) => progress.update(p),
        });
      } finally {
        progress.stop();
        source.sql.close();
        target.sql.close();
      }
      if (f.json) ctx.out(toJsonText({ to: maskPassword(f.to), from, ...report }));
      else {
        printReport(ctx, report);
        ctx.out(
          report.equal
            ? `verified: every table of ${from} is in ${maskPassword(f.to)} (counts and checksums equal)`
            : `NOT verified: ${report.tables
                .filter((t) => !t.equal)
                .map((t) => t.table)
                .join(', ')} differ`,
        );
      }
      if (!report.equal) throw new MigrateMismatchError();
    });
};

/** Verification failed: the report above names the tables; the CLI prints this line and exits 1. */
export class MigrateMismatchError extends Error {
  constructor() {
    super('the copy did not verify (see the tables marked MISMATCH)');
  }
}
