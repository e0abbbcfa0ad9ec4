// Command line of `npm run hub`: [serve] | pairing-code | reset-admin-token, with typed errors.
import { parseArgs } from 'node:util';
import { isLoopback } from '../core/protocol/loopback';
import { deviceKindSchema, idSchema } from '../core/protocol/sync';
import type { DeviceKind } from '../core/protocol/sync';

export type HubCommand =
  | {
      command: 'serve';
      host: string;
      port: number;
      dataDir: string;
      /** PEM files of the hub's certificate and key; null: plain http (loopback only by default). */
      tls: { certFile: string; keyFile: string } | null;
    }
  | {
      command: 'pairing-code';
      dataDir: string;
      kind: DeviceKind;
      label: string;
      entranceId: string | null;
      ttlMinutes: number;
    }
  | { command: 'reset-admin-token'; dataDir: string }
  | { command: 'help' };

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `usage:
  npm run hub [-- --port 8787] [--host 127.0.0.1] [--data ./data/hub]
              [--tls-cert FILE --tls-key FILE] [--insecure-http]
  npm run hub -- pairing-code --kind kiosk|desk [--label TEXT] [--entrance ID] [--ttl MINUTES] [--data DIR]
  npm run hub -- reset-admin-token [--data DIR]`;

export function parseHubArgs(argv: string[]): HubCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string', default: '8787' },
        host: { type: 'string', default: '127.0.0.1' },
        data: { type: 'string', default: './data/hub' },
        kind: { type: 'string' },
        label: { type: 'string', default: '' },
        entrance: { type: 'string' },
        ttl: { type: 'string', default: '60' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'insecure-http': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  const command = positionals[0] ?? 'serve';
  if (positionals.length > 1)
    throw new UsageError(`unexpected argument ${positionals[1]}\n${USAGE}`);
  const dataDir = values.data;
  if (command === 'serve') {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) {
      throw new UsageError(`--port must be 0-65535, got ${values.port}`);
    }
    const certFile = values['tls-cert'];
    const keyFile = values['tls-key'];
    if ((certFile === undefined) !== (keyFile === undefined)) {
      throw new UsageError('--tls-cert and --tls-key go together (the certificate and its key)');
    }
    const tls = certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : null;
    if (!tls && !isLoopback(values.host) && !values['insecure-http']) {
      throw new UsageError(
        `refusing plain http on ${values.host}: face templates and device tokens would cross the ` +
          'network unencrypted. Give --tls-cert FILE --tls-key FILE (see the README, "Hub TLS"), ' +
          'or --insecure-http on a network you trust',
      );
    }
    return { command, host: values.host, port, dataDir, tls };
  }
  if (command === 'pairing-code') {
    const kind = deviceKindSchema.safeParse(values.kind);
    if (!kind.success) throw new UsageError(`--kind must be kiosk or desk\n${USAGE}`);
    const entrance = values.entrance === undefined ? null : idSchema.safeParse(values.entrance);
    if (entrance && !entrance.success) throw new UsageError(`--entrance is not a valid id`);
    const ttlMinutes = Number(values.ttl);
    if (!Number.isInteger(ttlMinutes) || ttlMinutes < 1 || ttlMinutes > 7 * 24 * 60) {
      throw new UsageError(`--ttl must be 1-10080 minutes`);
    }
    return {
      command,
      dataDir,
      kind: kind.data,
      label: values.label,
      entranceId: entrance ? entrance.data : null,
      ttlMinutes,
    };
  }
  if (command === 'reset-admin-token') return { command, dataDir };
  throw new UsageError(`unknown command ${command}\n${USAGE}`);
}
