// TLS to the hub. Face templates cross the network during sync, so a kiosk talks to a hub on
// another machine over HTTPS only (plain http is refused unless the organiser says otherwise).
// A hub with a self-signed certificate is pinned at pairing: the organiser passes its SHA-256
// fingerprint along with the pairing code; the kiosk reads the hub's certificate (sending
// nothing), checks the fingerprint, keeps the certificate, and from then on trusts exactly that
// certificate, with full TLS verification including the host name.
import { Agent, request } from 'node:https';
import { isIP } from 'node:net';
import { connect } from 'node:tls';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import { SyncError } from './errors';
import type { FetchLike } from './transport';

export interface PinnedCertificate {
  /** The hub's certificate (PEM): the only certificate this kiosk trusts for the hub. */
  pem: string;
  /** Its SHA-256 fingerprint, upper-case hex pairs joined by colons (as openssl prints it). */
  fingerprint256: string;
}

/** "ab:cd…", "ABCD…" or "sha256 Fingerprint=AB:CD…" → "AB:CD:…"; null when it is not one. */
export function normaliseFingerprint(text: string): string | null {
  const hex = text
    .trim()
    .replace(/^sha256\s*fingerprint\s*=\s*/i, '')
    .replace(/[:\s]/g, '')
    .toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/../g)!.join(':');
}

/**
 * Read the certificate the hub presents, without trusting it and without sending anything over
 * the connection, and check it against the fingerprint the organiser gave.
 */
export async function pinHubCertificate(
  hubUrl: string,
  expectedFingerprint: string,
  timeoutMs = 15_000,
): Promise<PinnedCertificate> {
  const expected = normaliseFingerprint(expectedFingerprint);
  if (!expected) {
    throw new SyncError(
      'rejected',
      'the hub fingerprint must be its SHA-256 fingerprint: 64 hex digits, colons optional',
    );
  }
  const url = new URL(hubUrl);
  if (url.protocol !== 'https:') {
    throw new SyncError('rejected', 'a hub fingerprint needs an https:// hub address');
  }
  const presented = await new Promise<PinnedCertificate>((resolve, reject) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const socket = connect({
      host,
      port: Number(url.port || 443),
      ...(isIP(host) ? {} : { servername: host }),
      // Not trusted yet: this connection only reads the certificate; nothing is written to it.
      rejectUnauthorized: false,
    });
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`no TLS answer within ${timeoutMs} ms`)),
    );
    socket.once('secureConnect', () => {
      const certificate = socket.getPeerX509Certificate();
      socket.end();
      if (!certificate) reject(new Error('the hub presented no certificate'));
      else resolve({ pem: certificate.toString(), fingerprint256: certificate.fingerprint256 });
    });
    socket.once('error', reject);
  }).catch((error: unknown) => {
    throw new SyncError(
      'unreachable',
      `could not read the hub's certificate: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  if (presented.fingerprint256 !== expected) {
    throw new SyncError(
      'rejected',
      `the hub's certificate does not match the fingerprint given (it presents ${presented.fingerprint256}): ` +
        'check the address and the fingerprint the organiser gave; nothing was sent to it',
    );
  }
  return presented;
}

const decompressors: Record<string, (data: Buffer) => Promise<Buffer>> = {
  br: promisify(brotliDecompress),
  gzip: promisify(gunzip),
  deflate: promisify(inflate),
};

/**
 * fetch over HTTPS that trusts only the given certificate (a pinned self-signed hub). Covers
 * what HubTransport uses: method, string body, headers, an abort signal, and a compressed
 * reply (fetch would decompress it too).
 */
export function pinnedFetch(pem: string): FetchLike {
  const agent = new Agent({ ca: pem, keepAlive: true, rejectUnauthorized: true });
  const pinned = async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = typeof init.body === 'string' ? init.body : undefined;
    if (init.body != null && body === undefined) {
      throw new TypeError('pinnedFetch sends string bodies only');
    }
    const { status, responseHeaders, bytes } = await new Promise<{
      status: number;
      responseHeaders: Headers;
      bytes: Buffer;
    }>((resolve, reject) => {
      const req = request(url, {
        method: init.method ?? 'GET',
        headers,
        agent,
        ...(init.signal ? { signal: init.signal } : {}),
      });
      req.once('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
        res.once('end', () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
            else if (value !== undefined) responseHeaders.set(name, value);
          }
          resolve({ status: res.statusCode ?? 0, responseHeaders, bytes: Buffer.concat(chunks) });
        });
      });
      req.end(body);
    });
    const encoding = responseHeaders.get('content-encoding')?.trim().toLowerCase() ?? 'identity';
    const decompress = decompressors[encoding];
    const content = decompress ? await decompress(bytes) : bytes;
    const nullBody = status === 204 || status === 205 || status === 304;
    return new Response(nullBody ? null : new Uint8Array(content), {
      status,
      headers: responseHeaders,
    });
  };
  return pinned as FetchLike;
}
