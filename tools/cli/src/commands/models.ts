import { getModel, importLegacyRegistry, listModels } from '@kelly/registry';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { UsageError, type CliContext } from '../context';
import type { RegisterCommand } from './register-command';
import { formatGateReport, isoTime, json, parseFlags, withTracker } from './registry-cli';

const ListFlags = z.object({ json: z.boolean().optional() });
const ShowFlags = z.object({
  model: z.string().trim().min(1, 'model id required'),
  json: z.boolean().optional(),
});

async function list(ctx: CliContext, raw: unknown): Promise<void> {
  const flags = parseFlags(ListFlags, raw);
  await withTracker(ctx, (t) => {
    const models = listModels(t);
    if (flags.json) return ctx.out(json({ models }));
    if (models.length === 0)
      return ctx.out('no registered models (promote a run: kelly promote <runId> --alias production)');
    ctx.out(
      ['model'.padEnd(24) + 'versions  legacy  latest  aliases']
        .concat(
          models.map((m) => {
            const aliases =
              Object.entries(m.aliases)
                .map(([a, v]) => `${a}=v${v}`)
                .join(' ') || '-';
            return `${m.name.padEnd(24)}${String(m.versions).padEnd(10)}${String(m.legacyVersions).padEnd(8)}${(m.latestVersion ? `v${m.latestVersion}` : '-').padEnd(8)}${aliases}`;
          }),
        )
        .join('\n'),
    );
  });
}

async function show(ctx: CliContext, raw: unknown): Promise<void> {
  const flags = parseFlags(ShowFlags, raw);
  await withTracker(ctx, (t) => {
    const m = getModel(t, flags.model);
    if (flags.json) return ctx.out(json(m));
    const lines = [
      `model ${m.name}`,
      `aliases: ${m.aliases.map((a) => `${a.alias}=v${a.version}`).join(' ') || '-'}`,
      '',
      'versions:',
    ];
    for (const v of m.versions) {
      const file = typeof v.raw?.file === 'string' ? v.raw.file : '';
      const tag = v.legacy ? ` legacy(${file})` : '';
      lines.push(
        `  v${v.version}  ${v.status.padEnd(8)} run ${v.runId ?? '-'}  sha256 ${v.sha256?.slice(0, 12) ?? '-'}${tag}${v.aliases.length ? `  [${v.aliases.join(', ')}]` : ''}`,
      );
    }
    lines.push('', 'history:');
    for (const h of m.history) {
      const move = `${h.fromVersion ? `v${h.fromVersion}` : '-'} → ${h.toVersion ? `v${h.toVersion}` : '-'}`;
      const why = [h.forced ? 'FORCED' : '', h.reason ?? '', h.note ?? ''].filter(Boolean).join('; ');
      lines.push(
        `  ${isoTime(h.at)}  ${h.action.padEnd(8)} ${(h.alias ?? '').padEnd(10)} ${move.padEnd(10)} by ${h.by ?? '?'}${why ? `  (${why})` : ''}`,
      );
    }
    const lastGate = m.history.find((h) => h.gateReport);
    if (lastGate?.gateReport)
      lines.push('', `last promotion (${isoTime(lastGate.at)}):`, formatGateReport(lastGate.gateReport));
    ctx.out(lines.join('\n'));
  });
}

const ImportFlags = z.object({
  files: z.array(z.string().min(1)).min(1, 'give at least one registry file'),
  json: z.boolean().optional(),
});

async function importFiles(ctx: CliContext, raw: unknown): Promise<void> {
  const flags = parseFlags(ImportFlags, raw);
  const files = flags.files.map((f) => resolve(f));
  const missing = files.find((f) => !existsSync(f));
  if (missing) throw new UsageError(`no such file: ${missing}`);
  await withTracker(
    ctx,
    (t) => {
      const results = files.map((f) => importLegacyRegistry(t, f));
      if (flags.json) return ctx.out(json({ files: results }));
      for (const r of results) {
        ctx.out(
          `${r.file}: registry v${r.registryVersion}, ${r.created} new legacy version(s), ${r.skipped} already imported${r.strayKeys.length ? `, ${r.strayKeys.length} stray top-level key(s) ignored` : ''}`,
        );
      }
    },
    { writes: true },
  );
}

/** `kelly models list [--json]`, `kelly models show <model> [--json]`, `kelly models import <files...> [--json]`. */
export const registerModels: RegisterCommand = (program, ctx) => {
  const models = program
    .command('models')
    .description('the model registry: versions, aliases, history, gate reports');
  models
    .command('list')
    .description('list registered models with their versions and aliases')
    .option('--json', 'one JSON document')
    .action((opts: unknown) => list(ctx, opts));
  models
    .command('show')
    .description('one model: aliases, versions, audit history and the gate report of its promotions')
    .argument('<model>', 'model id, e.g. melodytransformer')
    .option('--json', 'one JSON document')
    .action((model: string, opts: object) => show(ctx, { ...opts, model }));
  models
    .command('import')
    .description('import old Kelly models/registry.json files as legacy model history (idempotent)')
    .argument('<files...>', 'registry JSON files (v1.0 or v1.1)')
    .option('--json', 'one JSON document')
    .action((files: string[], opts: object) => importFiles(ctx, { ...opts, files }));
};
