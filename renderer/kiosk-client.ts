// window.kiosk for browser mode: the same typed method map as Electron's preload, over HTTP to
// core/transport on 127.0.0.1. The per-launch token arrives in the URL fragment (#token=…, never
// sent to a server or written to history) and is kept for this tab only, so a reload still works.
import type { KioskApi, KioskErrorInfo, Outcome } from '../core/api';

const TOKEN_KEY = 'kiosk-token';

/** The per-launch token from the address (then kept for this tab only, and out of the address bar). */
export function takeToken(): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    // Drop the token from the address bar and history.
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1];
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/**
 * Request body: 4-byte big-endian JSON length, the JSON (each Uint8Array replaced by
 * {"$bytes":[offset,length]}), then the raw bytes. Frames travel as bytes, not base64.
 * core/transport/codec.ts decodes it.
 */
export function encodeRequest(input: unknown): Uint8Array<ArrayBuffer> {
  const blobs: Uint8Array[] = [];
  let offset = 0;
  const json = JSON.stringify(input ?? {}, (_key, value: unknown) => {
    if (value instanceof Uint8Array || value instanceof Uint8ClampedArray) {
      const ref = { $bytes: [offset, value.byteLength] };
      blobs.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      offset += value.byteLength;
      return ref;
    }
    return value;
  });
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(4 + head.byteLength + offset);
  new DataView(out.buffer).setUint32(0, head.byteLength);
  out.set(head, 4);
  let at = 4 + head.byteLength;
  for (const blob of blobs) {
    out.set(blob, at);
    at += blob.byteLength;
  }
  return out;
}

function failure(code: KioskErrorInfo['code'], message: string): Outcome<never> {
  return { ok: false, error: { code, message } };
}

export function httpKiosk(token: string | null): KioskApi {
  const call = async (method: string, input: unknown): Promise<Outcome<unknown>> => {
    if (!token) return failure('unauthorized', 'this page was opened without its kiosk token');
    try {
      const response = await fetch(`/api/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/x-kiosk-call',
        },
        body: encodeRequest(input),
        cache: 'no-store',
        credentials: 'omit',
      });
      return (await response.json()) as Outcome<unknown>;
    } catch {
      return failure('internal', 'the kiosk service is not answering');
    }
  };
  return new Proxy({} as KioskApi, {
    get: (_target, method) =>
      typeof method === 'string' ? (input: unknown) => call(method, input) : undefined,
  });
}

/** The preload's window.kiosk in Electron; the HTTP shim in a browser. */
export function kioskClient(): KioskApi {
  return window.kiosk ?? httpKiosk(takeToken());
}
