import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` (run in libs/tracking) writes SQL migrations to ./drizzle; commit them.
// They are applied by openTracker() when the store is opened. Never `push`.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './drizzle',
});
