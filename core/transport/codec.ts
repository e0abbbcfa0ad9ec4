// The browser-mode request body (renderer/kiosk-client.ts writes it): a 4-byte big-endian JSON
// length, the JSON with each byte array replaced by {"$bytes":[offset,length]}, then the bytes.
// Frames cross as raw bytes, not base64.

export class CodecError extends Error {}

export function encodeRequest(input: unknown): Uint8Array {
  const blobs: Uint8Array[] = [];
  let offset = 0;
  // Walk first: JSON.stringify would turn a Buffer into {type,data} before a replacer saw it.
  const swap = (value: unknown): unknown => {
    if (value instanceof Uint8Array) {
      blobs.push(value);
      const ref = { $bytes: [offset, value.byteLength] };
      offset += value.byteLength;
      return ref;
    }
    if (Array.isArray(value)) return value.map(swap);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swap(v)]));
    }
    return value;
  };
  const head = Buffer.from(JSON.stringify(swap(input ?? {})), 'utf8');
  const out = Buffer.alloc(4 + head.byteLength + offset);
  out.writeUInt32BE(head.byteLength, 0);
  head.copy(out, 4);
  let at = 4 + head.byteLength;
  for (const blob of blobs) {
    out.set(blob, at);
    at += blob.byteLength;
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

function isBytesRef(value: unknown): value is { $bytes: [number, number] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$bytes';
}

export function decodeRequest(body: Uint8Array, maxJsonBytes = 64 * 1024): unknown {
  if (body.byteLength < 4) throw new CodecError('request body is shorter than its 4-byte header');
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const jsonLength = view.getUint32(0);
  if (jsonLength > maxJsonBytes) throw new CodecError(`request JSON over ${maxJsonBytes} bytes`);
  if (4 + jsonLength > body.byteLength) throw new CodecError('request JSON runs past the body');
  const blob = body.subarray(4 + jsonLength);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.subarray(4, 4 + jsonLength)).toString('utf8'));
  } catch {
    throw new CodecError('request JSON does not parse');
  }
  const revive = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(revive);
    if (typeof value !== 'object' || value === null) return value;
    if (isBytesRef(value)) {
      const ref = value.$bytes;
      const [start, length] = Array.isArray(ref) ? ref : [];
      if (
        !Number.isInteger(start) ||
        !Number.isInteger(length) ||
        (start as number) < 0 ||
        (length as number) < 0 ||
        (start as number) + (length as number) > blob.byteLength
      ) {
        throw new CodecError('a byte reference points outside the body');
      }
      // A copy, so the handler owns its bytes whatever happens to the request buffer.
      return new Uint8Array(blob.subarray(start as number, (start as number) + (length as number)));
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  };
  return revive(parsed);
}
