import { defineConfig } from 'drizzle-kit';

// The PostgreSQL store's migrations: `npx drizzle-kit generate --config drizzle-pg.config.ts` (run in libs/tracking)
// writes them to ./drizzle-pg; commit them. openStore() applies them when it opens a postgres:// URL. Never `push`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/pg-schema.ts',
  out: './drizzle-pg',
});
