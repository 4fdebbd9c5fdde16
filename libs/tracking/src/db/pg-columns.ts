import { customType } from 'drizzle-orm/pg-core';
import { decodeJson, encodeJson } from './json-column';

/**
 * PostgreSQL twins of the SQLite column helpers, storing values exactly as SQLite does so raw SQL reads the same
 * rows on both stores: JSON stays TEXT (non-finite numbers tagged, see json-column.ts), booleans stay 0/1 INTEGERs.
 */

/** `json('column').$type<T>()`: TEXT holding T as JSON with NaN/±Infinity preserved (as json-column.ts). */
export const json = <N extends string>(name: N) =>
  customType<{ data: unknown; driverData: string }>({
    dataType: () => 'text',
    toDriver: (value) => encodeJson(value),
    fromDriver: (value) => decodeJson(value),
  })(name);

/**
 * A boolean kept as INTEGER 0/1 (SQLite's `integer(name, { mode: 'boolean' })`). Its default must be written
 * `sql\`0\``: PostgreSQL refuses `DEFAULT false` on an integer column.
 */
export const intBoolean = <N extends string>(name: N) =>
  customType<{ data: boolean; driverData: number }>({
    dataType: () => 'integer',
    toDriver: (value) => (value ? 1 : 0),
    fromDriver: (value) => Number(value) !== 0,
  })(name);
