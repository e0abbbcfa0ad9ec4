// Organiser routes (/v1/admin/*), all behind the admin token: pairing codes, devices, the event,
// the dashboard's data and an audit of check-ins.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseMappingArgs, RosterFormatError } from '../../core/protocol/roster';
import { createPairingCodeSchema, eventSchema, idSchema, LIMITS } from '../../core/protocol/sync';
import { HubError } from '../http/errors';
import { HubRosterRejected, importRosterOnHub } from '../sync/roster';
import { readCheckInAudit, readOverview } from '../admin/overview';
import { createPairingCode, revokeDevice, verifyAdminToken } from '../auth/devices';
import { bearerToken } from '../auth/secrets';
import { parseOr400 } from '../http/validate';
import type { HubDb } from '../storage/db';
import { saveEvent } from '../sync/event';

const rosterQuerySchema = z.strictObject({
  skipBad: z.enum(['true', 'false']).optional(),
  map: z.string().max(2_000).optional(),
});

const overviewQuerySchema = z.strictObject({
  hours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 14)
    .default(12),
  bucketMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
});

export function adminRoutes(app: FastifyInstance, db: HubDb, now: () => Date): void {
  app.register(async (admin) => {
    // A roster arrives as raw CSV bytes; the roster rules decode and check them.
    admin.addContentTypeParser(
      ['text/csv', 'text/plain'],
      { parseAs: 'buffer' },
      (_request, body, done) => done(null, body),
    );
    admin.addHook('onRequest', async (request) => {
      await verifyAdminToken(db, bearerToken(request.headers.authorization));
    });

    admin.get('/v1/admin/overview', async (request) => {
      const query = parseOr400(overviewQuerySchema, request.query, 'query');
      return readOverview(db, { now: now(), ...query });
    });

    admin.post('/v1/admin/pairing-codes', { bodyLimit: 4096 }, async (request, reply) => {
      const body = parseOr400(createPairingCodeSchema, request.body, 'body');
      return reply.code(201).send(await createPairingCode(db, body, now()));
    });

    admin.post('/v1/admin/devices/:id/revoke', { bodyLimit: 1024 }, async (request) => {
      const { id } = parseOr400(z.strictObject({ id: idSchema }), request.params, 'params');
      await revokeDevice(db, id, now());
      return { revoked: id };
    });

    admin.put('/v1/admin/event', { bodyLimit: 256 * 1024 }, async (request) => {
      const event = parseOr400(eventSchema, request.body, 'body');
      await saveEvent(db, event);
      return { saved: event.id };
    });

    admin.get('/v1/admin/checkins/audit', async () => readCheckInAudit(db));

    // A roster CSV as the raw body (text/csv). ?skipBad=true imports the good rows and reports
    // the bad ones; ?map=Header=field,... overrides header recognition (as `npm run import --map`).
    admin.post('/v1/admin/roster', { bodyLimit: LIMITS.maxBodyBytes }, async (request) => {
      if (!Buffer.isBuffer(request.body)) {
        throw new HubError(415, 'unsupported_media_type', 'send the roster as text/csv');
      }
      const query = parseOr400(rosterQuerySchema, request.query, 'query');
      let mapping;
      try {
        mapping = query.map ? parseMappingArgs([query.map]) : undefined;
      } catch (error) {
        throw new HubError(400, 'roster_bad_mapping', (error as Error).message);
      }
      try {
        return await importRosterOnHub(db, request.body, {
          ...(mapping ? { mapping } : {}),
          skipBad: query.skipBad === 'true',
          now: now(),
          origin: 'admin',
        });
      } catch (error) {
        if (error instanceof RosterFormatError) {
          throw new HubError(400, `roster_${error.code}`, error.message);
        }
        if (error instanceof HubRosterRejected) {
          throw new HubError(422, 'roster_rejected', error.message);
        }
        throw error;
      }
    });
  });
}
