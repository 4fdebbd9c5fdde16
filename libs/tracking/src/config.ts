import { z } from 'zod';
import type { JsonObject } from './db/schema';

/** Where `value` stops being JSON-serialisable: a dotted key path and why, or null when it is fine. */
function findNonJson(value: unknown, path: string, seen: Set<object>): { path: string; why: string } | null {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number')
    return Number.isFinite(value) ? null : { path, why: `${value} is not valid JSON` };
  if (typeof value !== 'object') return { path, why: `a ${typeof value} is not JSON-serialisable` };
  if (seen.has(value)) return { path, why: 'circular reference' };
  const proto = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null)
    return { path, why: `a ${value.constructor?.name ?? 'class instance'} is not plain JSON` };
  seen.add(value);
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [k, v] of entries) {
    const bad = findNonJson(v, path ? `${path}.${k}` : k, seen);
    if (bad) return bad;
  }
  seen.delete(value);
  return null;
}

/** A run config: a plain object of JSON values (no functions, undefined, NaN, Dates, class instances). */
export const RunConfigSchema = z.record(z.string(), z.unknown()).superRefine((cfg, ctx) => {
  const bad = findNonJson(cfg, '', new Set());
  if (bad)
    ctx.addIssue({
      code: 'custom',
      message: `config key "${bad.path}": ${bad.why}`,
      path: bad.path.split('.'),
    });
});

/** Validates a config; throws an Error naming the offending key. */
export function validateConfig(config: unknown): JsonObject {
  const r = RunConfigSchema.safeParse(config);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(
      issue?.code === 'custom' ? issue.message : `config must be a plain object: ${issue?.message}`,
    );
  }
  return r.data;
}

export interface FlatParam {
  key: string;
  /** JSON text of the leaf value. */
  value: string;
  valueType: 'number' | 'string' | 'boolean' | 'null' | 'array' | 'object';
}

/** The config's leaves by dotted key (as `flattenConfig`, values as they are rather than JSON text). */
export function flatConfigMap(config: JsonObject): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (o: JsonObject, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0)
        walk(v as JsonObject, key);
      else out.set(key, v);
    }
  };
  walk(config, '');
  return out;
}

/** Flattens nested objects to dotted keys; arrays and empty objects are leaves (kept as JSON text). */
export function flattenConfig(config: JsonObject, prefix = '', out: FlatParam[] = []): FlatParam[] {
  for (const [k, v] of Object.entries(config)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) {
      flattenConfig(v as JsonObject, key, out);
    } else {
      const valueType =
        v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as FlatParam['valueType']);
      out.push({ key, value: JSON.stringify(v) ?? 'null', valueType });
    }
  }
  return out;
}
