/**
 * `npm run bench [-- <name>...]`: runs each benchmark in its own process (so peak RSS is its own),
 * prints its JSON document and writes it to `<KELLY_HOME>/bench/<name>.json`.
 * Contract for a bench script: it writes exactly one JSON document to stdout (progress goes to stderr),
 * holding its raw figures, the ratios and the goals.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { benches } from './benches';

export function main(argv: string[]): number {
  const names = argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = names.filter((n) => !(n in benches));
  if (unknown.length) {
    console.error(
      `bench: unknown benchmark ${unknown.join(', ')} (known: ${Object.keys(benches).join(', ')})`,
    );
    return 2;
  }
  const home = resolve(process.env.KELLY_HOME ?? '.kelly');
  const outDir = join(home, 'bench');
  mkdirSync(outDir, { recursive: true });
  let failures = 0;
  for (const name of names.length ? names : Object.keys(benches)) {
    const script = benches[name]!;
    if (!existsSync(script)) {
      console.error(`bench ${name}: ${script} does not exist`);
      failures++;
      continue;
    }
    console.error(`▶ bench ${name} (${script})`);
    const r = spawnSync('npx', ['tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, KELLY_HOME: home },
      maxBuffer: 64 * 1024 * 1024,
    });
    const text = r.stdout.toString().trim();
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      console.error(
        `bench ${name}: exit ${r.status}, stdout was not one JSON document:\n${text.slice(0, 2000)}`,
      );
      failures++;
      continue;
    }
    const pretty = JSON.stringify({ bench: name, ...(doc as object) }, null, 2);
    console.log(pretty);
    writeFileSync(join(outDir, `${name}.json`), pretty + '\n');
    if (r.status !== 0) failures++;
  }
  return failures ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main(process.argv));
