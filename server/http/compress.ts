// Pull pages are large (a first pull is ~330 MiB of JSON for 120,000 guests with 3 faces each).
// Brotli at a low quality shrinks them to about 40% in the zlib thread pool, off the event loop:
// worth it on a venue's Wi-Fi, and every fetch (undici, Chromium) decodes it without asking.
import { promisify } from 'node:util';
import { brotliCompress, constants } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

const compress = promisify(brotliCompress);
const MIN_BYTES = 64 * 1024;

export async function brotliLargeReplies(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  if (typeof payload !== 'string' || payload.length < MIN_BYTES) return payload;
  const accepted = String(request.headers['accept-encoding'] ?? '');
  if (!/\bbr\b/.test(accepted)) return payload;
  const body = await compress(Buffer.from(payload, 'utf8'), {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 4,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
  reply.header('content-encoding', 'br');
  reply.header('vary', 'accept-encoding');
  reply.removeHeader('content-length');
  return body;
}
