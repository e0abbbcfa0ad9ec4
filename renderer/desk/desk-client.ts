// The staff API for the desk screens. Electron: electron/preload.ts exposes it as
// window.kiosk.staff (the preload exposes window.kiosk and nothing else). Browser mode: staff
// calls over the kiosk's own HTTP transport (same per-launch token, same body encoding).
import { encodeRequest, takeToken } from '../kiosk-client';
import type { DeskClient, StaffOutcome } from './types';

export function httpDesk(token: string | null): DeskClient {
  const call = async (method: string, input: unknown): Promise<StaffOutcome<unknown>> => {
    if (!token) {
      return { ok: false, error: { code: 'unauthorized', message: 'opened without its token' } };
    }
    try {
      const response = await fetch(`/api/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-kiosk-call' },
        body: encodeRequest(input),
        cache: 'no-store',
        credentials: 'omit',
      });
      return (await response.json()) as StaffOutcome<unknown>;
    } catch {
      return {
        ok: false,
        error: { code: 'internal', message: 'the desk service is not answering' },
      };
    }
  };
  return new Proxy({} as DeskClient, {
    get: (_target, method) =>
      typeof method === 'string' ? (input: unknown) => call(method, input) : undefined,
  });
}

/** The preload's staff methods, when running in Electron. */
function preloadDesk(): DeskClient | null {
  const bridge = window.kiosk as { staff?: DeskClient } | undefined;
  return bridge?.staff ?? null;
}

export function deskClient(): DeskClient {
  return preloadDesk() ?? httpDesk(takeToken());
}
