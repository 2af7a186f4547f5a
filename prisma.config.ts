// Prisma CLI config. Migrations are applied by scripts/migrate.ts (Prisma's WebAssembly schema
// engine), which works offline on both PGlite and PostgreSQL; the CLI is used for `generate`.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
