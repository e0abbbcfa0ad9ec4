// Organiser routes (/v1/admin/*), all behind the admin token: pairing codes, devices, the event,
// the dashboard's data and an audit of check-ins.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createPairingCodeSchema, eventSchema, idSchema } from '../../core/protocol/sync';
import { readCheckInAudit, readOverview } from '../admin/overview';
import { createPairingCode, revokeDevice, verifyAdminToken } from '../auth/devices';
import { bearerToken } from '../auth/secrets';
import { parseOr400 } from '../http/validate';
import type { HubDb } from '../storage/db';
import { saveEvent } from '../sync/event';

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
  });
}
