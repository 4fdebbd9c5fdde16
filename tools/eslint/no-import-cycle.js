// ESLint rule `kelly/no-import-cycle`: no module may reach itself through its imports, type-only imports
// included (`import-x/no-cycle` skips `import type`, so a cycle made of types alone would pass it).
// The import graph is read with TypeScript itself (`ts.preProcessFile` + `ts.resolveModuleName` with the root
// tsconfig), so `@kelly/*` workspace packages resolve to their sources and cross-project cycles count too.
// Strongly connected components are computed once per process (Tarjan) and shared by every linted file.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const config = ts.getParsedCommandLineOfConfigFile(
  resolve(root, 'tsconfig.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: () => {},
  },
);
const options = config?.options ?? {};
const resolution = ts.createModuleResolutionCache(root, (f) => f, options);

/** Our own TypeScript sources (not declarations, not node_modules) that `spec` imported from `from` resolves to. */
function resolveOwn(spec, from) {
  const hit = ts.resolveModuleName(spec, from, options, ts.sys, resolution).resolvedModule;
  const file = hit?.resolvedFileName;
  if (!file || file.includes('/node_modules/') || file.endsWith('.d.ts') || !file.startsWith(root))
    return null;
  return /\.tsx?$/.test(file) ? file : null;
}

const edges = new Map();
function depsOf(file, text) {
  if (text === undefined && edges.has(file)) return edges.get(file);
  let source = text;
  if (source === undefined) {
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      source = '';
    }
  }
  const out = new Set();
  for (const ref of ts.preProcessFile(source, true, true).importedFiles) {
    const target = resolveOwn(ref.fileName, file);
    if (target && target !== file) out.add(target);
  }
  edges.set(file, out);
  return out;
}

// Tarjan's SCC, iterative, state kept across calls so each node is visited once per process.
const index = new Map();
const low = new Map();
const component = new Map();
let counter = 0;
function componentOf(start) {
  if (component.has(start)) return component.get(start);
  const stack = [];
  const onStack = new Set();
  const work = [[start, [...depsOf(start)], 0]];
  index.set(start, counter);
  low.set(start, counter++);
  stack.push(start);
  onStack.add(start);
  while (work.length) {
    const frame = work[work.length - 1];
    const [node, next] = frame;
    if (frame[2] < next.length) {
      const dep = next[frame[2]++];
      if (!index.has(dep)) {
        index.set(dep, counter);
        low.set(dep, counter++);
        stack.push(dep);
        onStack.add(dep);
        work.push([dep, [...depsOf(dep)], 0]);
      } else if (onStack.has(dep)) low.set(node, Math.min(low.get(node), index.get(dep)));
      continue;
    }
    work.pop();
    if (work.length) {
      const parent = work[work.length - 1][0];
      low.set(parent, Math.min(low.get(parent), low.get(node)));
    }
    if (low.get(node) === index.get(node)) {
      const members = new Set();
      let m;
      do {
        m = stack.pop();
        onStack.delete(m);
        members.add(m);
      } while (m !== node);
      for (const x of members) component.set(x, members);
    }
  }
  return component.get(start);
}

/** Shortest import route from `from` back to `to` inside one component, as project-relative paths. */
function route(from, to, members) {
  const prev = new Map([[from, null]]);
  const queue = [from];
  while (queue.length) {
    const n = queue.shift();
    if (n === to) break;
    for (const d of depsOf(n)) if (members.has(d) && !prev.has(d)) (prev.set(d, n), queue.push(d));
  }
  const path = [];
  for (let n = to; n; n = prev.get(n)) path.unshift(relative(root, n));
  return path;
}

export const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'forbid import cycles, type-only imports included' },
    messages: { cycle: 'Import cycle (type-only imports included): {{route}}' },
    schema: [],
  },
  create(context) {
    const file = context.physicalFilename;
    if (!file.startsWith(root)) return {};
    // The linted text may not be on disk yet (lintText): read this file's imports from it.
    const before = edges.get(file);
    const now = depsOf(file, context.sourceCode.text);
    if (before && (before.size !== now.size || [...now].some((d) => !before.has(d)))) {
      // this file's imports differ from what the components were built from: start over
      index.clear();
      low.clear();
      component.clear();
    }
    const members = componentOf(file);
    if (!members || members.size < 2) return {};
    const check = (node) => {
      if (!node.source || typeof node.source.value !== 'string') return;
      const target = resolveOwn(node.source.value, file);
      if (!target || !members.has(target)) return;
      const path = [relative(root, file), ...route(target, file, members)];
      context.report({ node, messageId: 'cycle', data: { route: path.join(' → ') } });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { 'no-import-cycle': noImportCycle } };
