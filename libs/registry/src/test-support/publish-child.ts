/**
 * Child process for the concurrent-publish test: publishes `count` versions of one model into `outDir`.
 * Usage: tsx publish-child.ts <outDir> <modelId> <count> <modelJsonFile>
 */
import { readFileSync } from 'node:fs';
import { buildModelEntry } from '../model-entry';
import { publishModel } from '../publish';
import { summarizeRtneural } from '../rtneural-summary';

async function main(argv: string[]): Promise<void> {
  const [outDir, modelId, countText, modelFile] = argv;
  if (!outDir || !modelId || !countText || !modelFile)
    throw new Error('usage: publish-child <outDir> <modelId> <count> <model.json>');
  const text = readFileSync(modelFile, 'utf8');
  const summary = summarizeRtneural(JSON.parse(text));
  for (let v = 1; v <= Number(countText); v++) {
    const run = {
      id: `${modelId}-run-${v}`,
      config: { epochs: v },
      gitCommit: null,
      hardware: null,
      startedAt: 0,
      endedAt: 1000 * v,
      durationS: v,
      lastMetrics: {},
    };
    const bytes = Buffer.from(`${text.trimEnd()}\n${' '.repeat(v)}\n`);
    await publishModel({
      outDir,
      modelId,
      version: v,
      modelBytes: bytes,
      entry: buildModelEntry({ modelId, version: v, summary, run }),
    });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
