// What paired devices (kiosks, desks) call: pair, push, pull.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DevicesTable } from '../storage/schema';
import {
  LIMITS,
  pairRequestSchema,
  pullQuerySchema,
  pushBatchSchema,
} from '../../core/protocol/sync';
import { authenticateDevice, pairDevice, recordContact } from '../auth/devices';
import { bearerToken } from '../auth/secrets';
import { FailureThrottle } from '../auth/throttle';
import { HubError } from '../http/errors';
import { brotliLargeReplies } from '../http/compress';
import { ContactThrottle } from '../http/contact-throttle';
import { readDeviceReport } from '../http/device-headers';
import { parseOr400 } from '../http/validate';
import type { HubDb } from '../storage/db';
import { readChanges } from '../sync/pull';
import { applyPush } from '../sync/push';

export function deviceRoutes(app: FastifyInstance, db: HubDb, now: () => Date): void {
  const pairingFailures = new FailureThrottle(10, 10 * 60_000);
  const contacts = new ContactThrottle(5_000);

  app.post('/v1/pair', { bodyLimit: 4096 }, async (request, reply) => {
    const at = now();
    if (pairingFailures.isBlocked(request.ip, at.getTime())) {
      throw new HubError(429, 'too_many_attempts', 'too many wrong pairing codes; wait 10 minutes');
    }
    const body = parseOr400(pairRequestSchema, request.body, 'body');
    try {
      const paired = await pairDevice(db, body, at);
      return reply.code(201).send(paired);
    } catch (error) {
      if (error instanceof HubError && error.code === 'invalid_pairing_code') {
        pairingFailures.fail(request.ip, at.getTime());
      }
      throw error;
    }
  });

  // Authenticated before the body is even read: no token, no parsing.
  const authenticate = async (request: FastifyRequest) => {
    const device = await authenticateDevice(db, bearerToken(request.headers.authorization));
    devices.set(request, device);
  };
  const devices = new WeakMap<FastifyRequest, DevicesTable>();
  const deviceOf = (request: FastifyRequest) => devices.get(request)!;

  app.post(
    '/v1/push',
    { bodyLimit: LIMITS.maxBodyBytes, onRequest: authenticate },
    async (request) => {
      const device = deviceOf(request);
      const at = now();
      const report = readDeviceReport(request, at);
      const batch = parseOr400(pushBatchSchema, request.body, 'body');
      const result = await applyPush(db, batch, {
        deviceId: device.id,
        receivedAt: at,
        clockSkewMs: report.clockSkewMs ?? 0,
      });
      await recordContact(db, device.id, { now: at, ...report });
      return result;
    },
  );

  app.get(
    '/v1/changes',
    { onRequest: authenticate, onSend: brotliLargeReplies },
    async (request) => {
      const device = deviceOf(request);
      const at = now();
      const report = readDeviceReport(request, at);
      const query = parseOr400(pullQuerySchema, request.query, 'query');
      const page = await readChanges(db, {
        deviceId: device.id,
        since: Number(query.since),
        limit: query.limit,
      });
      // A pull reads only; its contact is written when it says something new (or every few seconds).
      if (contacts.worthWriting(device.id, at, report)) {
        await recordContact(db, device.id, { now: at, ...report });
        contacts.written(device.id, at, report);
      }
      return page;
    },
  );
}
