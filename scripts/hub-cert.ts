// `npm run hub:cert -- --host ADDRESS [--host ADDRESS ...] [--out DIR] [--days N]`
//
// A self-signed TLS certificate for the hub (needs the `openssl` command), for events without a
// certificate from their own CA. Kiosks pin it at pairing with the fingerprint this prints:
//   npm run hub -- --host 0.0.0.0 --tls-cert DIR/hub.crt --tls-key DIR/hub.key
//   npm start -- --pair https://ADDRESS:8787 CODE --hub-fingerprint FINGERPRINT
// ADDRESS is every IP address or host name kiosks will use to reach the hub.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

export class HubCertError extends Error {}

export interface HubCertOptions {
  hosts: string[];
  outDir: string;
  days: number;
}

const HOST_NAME =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function parseHubCertArgs(argv: string[]): HubCertOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        host: { type: 'string', multiple: true },
        out: { type: 'string', default: './data/hub/tls' },
        days: { type: 'string', default: '825' },
      },
    }));
  } catch (error) {
    throw new HubCertError((error as Error).message);
  }
  const hosts = values.host ?? [];
  if (hosts.length === 0) {
    throw new HubCertError('give --host with each address kiosks use to reach the hub');
  }
  for (const host of hosts) {
    if (!isIP(host) && !HOST_NAME.test(host)) {
      throw new HubCertError(`--host ${host} is neither an IP address nor a host name`);
    }
  }
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw new HubCertError('--days is a whole number of days from 1 to 3650');
  }
  return { hosts, outDir: resolve(values.out), days };
}

/** Writes hub.crt and hub.key (owner-only) into outDir; returns the files and the fingerprint. */
export function makeHubCertificate(options: HubCertOptions) {
  const certFile = join(options.outDir, 'hub.crt');
  const keyFile = join(options.outDir, 'hub.key');
  if (existsSync(certFile) || existsSync(keyFile)) {
    throw new HubCertError(
      `${options.outDir} already holds a hub certificate; paired kiosks trust it, so it is not replaced (move it away to make a new one)`,
    );
  }
  mkdirSync(options.outDir, { recursive: true, mode: 0o700 });
  const altNames = options.hosts.map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        String(options.days),
        '-subj',
        '/CN=face check-in hub',
        '-addext',
        `subjectAltName=${altNames}`,
        '-addext',
        'basicConstraints=critical,CA:FALSE',
        '-addext',
        'extendedKeyUsage=serverAuth',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
    throw new HubCertError(
      e.code === 'ENOENT'
        ? 'the openssl command is not installed (Debian: apt-get install openssl)'
        : `openssl failed: ${e.stderr?.toString().trim() || e.message}`,
    );
  }
  chmodSync(keyFile, 0o600);
  const fingerprint256 = new X509Certificate(readFileSync(certFile)).fingerprint256;
  return { certFile, keyFile, fingerprint256 };
}

function main(): void {
  try {
    const options = parseHubCertArgs(process.argv.slice(2));
    const made = makeHubCertificate(options);
    console.log(`hub certificate: ${made.certFile}`);
    console.log(`hub key (keep it secret): ${made.keyFile}`);
    console.log(`SHA-256 fingerprint: ${made.fingerprint256}`);
    console.log(
      `start the hub: npm run hub -- --host 0.0.0.0 --tls-cert ${made.certFile} --tls-key ${made.keyFile}`,
    );
    console.log(
      `pair a kiosk:  npm start -- --pair https://${options.hosts[0]}:8787 CODE --hub-fingerprint ${made.fingerprint256}`,
    );
  } catch (error) {
    if (error instanceof HubCertError) {
      console.error(`hub:cert: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
