/**
 * drizzle-kit: `npm run db:generate` writes SQL migrations into migrations/ from every domain's and plugin's
 * schema.ts; `npm run db:migrate` applies them (to the local emulator by default, or to TURSO_DATABASE_URL).
 */
import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'turso',
  schema: ['./src/domains/*/schema.ts', './src/plugins/*/schema.ts'],
  out: './migrations',
  casing: 'snake_case',
  dbCredentials: {
    url: process.env.TURSO_DATABASE_URL ?? 'http://127.0.0.1:8081/',
    authToken: process.env.TURSO_AUTH_TOKEN,
  },
  strict: true,
  verbose: false,
})
