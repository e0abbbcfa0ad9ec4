// The hub's HTTP application: routes, limits, security headers and the one error shape.
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance } from 'fastify';
import { HubError } from './http/errors';
import { adminRoutes } from './routes/admin';
import { dashboardRoutes } from './routes/dashboard';
import { deviceRoutes } from './routes/device';
import type { HubDb } from './storage/db';
import { PROTOCOL_VERSION } from '../core/protocol/sync';

export interface HubAppOptions {
  db: HubDb;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer } | null;
  now?: () => Date;
  logger?: boolean;
}

/** Fastify's own 4xx errors, renamed to the hub's codes. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'empty_body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
  FST_ERR_CTP_INVALID_TYPE: 'invalid_content_type',
  FST_ERR_BAD_URL: 'bad_url',
  FST_ERR_ASYNC_CONSTRAINT: 'bad_request',
};

export async function buildHubApp(options: HubAppOptions): Promise<FastifyInstance> {
  const now = options.now ?? (() => new Date());
  // Typed as the plain-http instance: routes and hooks do not depend on the transport.
  const app = Fastify({
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
    logger: options.logger ?? false,
    // The default; each route sets its own, smaller or larger.
    bodyLimit: 64 * 1024,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
  }) as unknown as FastifyInstance;

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cache-control', 'no-store');
    return payload;
  });

  app.setErrorHandler((error: FastifyError | HubError | Error, request, reply) => {
    if (error instanceof HubError) {
      return reply.code(error.status).send({ error: error.code, message: error.message });
    }
    const status =
      'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      const fastifyCode = 'code' in error && typeof error.code === 'string' ? error.code : '';
      const code =
        FASTIFY_CODES[fastifyCode] ??
        (error instanceof SyntaxError ? 'invalid_json' : 'bad_request');
      return reply.code(status).send({ error: code, message: error.message });
    }
    request.log.error(error);
    return reply
      .code(500)
      .send({ error: 'internal_error', message: 'the hub failed; see its log' });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: 'not_found',
      message: `no route ${request.method} ${request.url.slice(0, 200)}`,
    }),
  );

  app.get('/v1/health', async () => ({
    ok: true,
    protocol: PROTOCOL_VERSION,
    hubTime: now().toISOString(),
  }));
  deviceRoutes(app, options.db, now);
  adminRoutes(app, options.db, now);
  dashboardRoutes(app);
  return app;
}
