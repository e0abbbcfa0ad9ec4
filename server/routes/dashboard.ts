// The dashboard: static HTML, JS and CSS from server/dashboard/, under a strict CSP. The page
// holds no data; it asks /v1/admin/overview with the admin token the organiser types in.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'dashboard');

export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The only files served, by exact name: no path from the URL ever reaches the file system. */
const FILES: Record<string, { file: string; type: string }> = {
  '/dashboard/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

export function dashboardRoutes(app: FastifyInstance): void {
  const bodies = new Map(
    Object.entries(FILES).map(([url, { file, type }]) => [
      url,
      { body: readFileSync(join(DIR, file)), type },
    ]),
  );
  app.get('/', (_request, reply) => reply.redirect('/dashboard/'));
  app.get('/favicon.ico', (_request, reply) => reply.code(204).send());
  app.get('/dashboard', (_request, reply) => reply.redirect('/dashboard/'));
  for (const [url, { body, type }] of bodies) {
    app.get(url, (_request, reply) =>
      reply.header('content-security-policy', DASHBOARD_CSP).type(type).send(body),
    );
  }
}
