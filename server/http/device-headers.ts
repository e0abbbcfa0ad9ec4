// The headers a device sends on every push and pull (HEADERS in core/protocol/sync.ts).
import type { FastifyRequest } from 'fastify';
import { HEADERS } from '../../core/protocol/sync';
import { badRequest } from './errors';

const MAX_SKEW_MS = 7 * 24 * 3600_000;

export interface DeviceReport {
  backlog: number | null;
  clockSkewMs: number | null;
}

function single(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  if (Array.isArray(value)) throw badRequest('invalid_header', `send ${name} once`);
  return value;
}

export function readDeviceReport(request: FastifyRequest, now: Date): DeviceReport {
  const size = single(request, HEADERS.outboxSize);
  let backlog: number | null = null;
  if (size !== undefined) {
    if (!/^[0-9]{1,9}$/.test(size)) {
      throw badRequest('invalid_header', `${HEADERS.outboxSize} must be a whole number of items`);
    }
    backlog = Number(size);
  }
  const time = single(request, HEADERS.deviceTime);
  let clockSkewMs: number | null = null;
  if (time !== undefined) {
    const ms = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(time) ? Date.parse(time) : NaN;
    if (!Number.isFinite(ms)) {
      throw badRequest('invalid_header', `${HEADERS.deviceTime} must be an ISO time with offset`);
    }
    clockSkewMs = now.getTime() - ms;
    if (Math.abs(clockSkewMs) > MAX_SKEW_MS) {
      throw badRequest('clock_too_far_off', `the device clock is more than 7 days off; set it`);
    }
  }
  return { backlog, clockSkewMs };
}
