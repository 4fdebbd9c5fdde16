/**
 * `npx nx run rtneural-native:build [-- --rtneural-dir <dir>] [--cxx <compiler>]`: builds the native runner
 * (or finds it in the cache) and prints where it is. Exit 0 built or cached, 1 build failed, 2 bad flags or no
 * toolchain (one line on stderr saying how to provide it).
 */
import { parseArgs } from 'node:util';
import { ensureRunner, NativeBuildError } from './build';
import { NativeUnavailableError } from './toolchain';

export async function main(argv: string[]): Promise<number> {
  let values: { 'rtneural-dir'?: string; cxx?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv.slice(2),
      options: { 'rtneural-dir': { type: 'string' }, cxx: { type: 'string' } },
      allowPositionals: true,
    }));
  } catch (e) {
    console.error(`rtneural-native: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  if (positionals.length !== 1 || positionals[0] !== 'build') {
    console.error('usage: main.ts build [--rtneural-dir <dir>] [--cxx <compiler>]');
    return 2;
  }
  try {
    const r = await ensureRunner({
      rtneuralDir: values['rtneural-dir'],
      cxx: values.cxx,
      onBuild: (m) => console.error(m),
    });
    console.log(`${r.built ? 'built' : 'cached'} ${r.path} (hash ${r.hash.slice(0, 12)}, ${r.buildMs} ms)`);
    return 0;
  } catch (e) {
    if (e instanceof NativeUnavailableError) {
      console.error(e.message);
      return 2;
    }
    if (e instanceof NativeBuildError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  void main(process.argv).then((code) => process.exit(code));
