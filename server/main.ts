// `npm run hub`: starts the hub (SQLite in --data), or runs one of its admin commands.
// First start prints the admin token once; only its SHA-256 is kept.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buildHubApp } from './app';
import { createPairingCode, ensureAdminToken, resetAdminToken } from './auth/devices';
import { parseHubArgs, USAGE, UsageError } from './cli';
import { openHubDb } from './storage/db';

async function main(): Promise<void> {
  const command = parseHubArgs(process.argv.slice(2));
  if (command.command === 'help') {
    console.log(USAGE);
    return;
  }
  const db = await openHubDb(command.dataDir);
  if (command.command === 'pairing-code') {
    const { kind, label, entranceId, ttlMinutes } = command;
    const created = await createPairingCode(
      db,
      { kind, label, entranceId, ttlMinutes },
      new Date(),
    );
    console.log(`pairing code (one use, until ${created.expiresAt}): ${created.code}`);
    await db.destroy();
    return;
  }
  if (command.command === 'reset-admin-token') {
    const token = await resetAdminToken(db);
    console.log(`new admin token (the old one no longer works): ${token}`);
    await db.destroy();
    return;
  }
  const tls = command.tls ? readTls(command.tls) : null;
  const adminToken = await ensureAdminToken(db);
  const app = await buildHubApp({ db, tls });
  const address = await app.listen({ host: command.host, port: command.port });
  if (adminToken) {
    console.log(`hub: admin token (shown once, stored as SHA-256): ${adminToken}`);
  }
  console.log(`hub: listening on ${address} (dashboard: ${address}/dashboard/)`);
  if (tls) {
    console.log(`hub: TLS certificate SHA-256 fingerprint: ${tls.fingerprint256}`);
    // Listening on every interface, the address kiosks use is this machine's on the venue network.
    const pairUrl = ['0.0.0.0', '::'].includes(command.host)
      ? `https://THIS_MACHINE_ADDRESS:${new URL(address).port}`
      : address;
    console.log(
      `hub: kiosks pair with: npm start -- --pair ${pairUrl} CODE --hub-fingerprint ${tls.fingerprint256}`,
    );
  }
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await app.close();
    await db.destroy();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
}

/** The certificate and key, read and checked up front so a bad file is named, not a stack trace. */
function readTls(files: { certFile: string; keyFile: string }) {
  const read = (flag: string, file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${flag} ${file}: ${(error as Error).message}`);
    }
  };
  const cert = read('--tls-cert', files.certFile);
  const key = read('--tls-key', files.keyFile);
  let fingerprint256: string;
  try {
    const certificate = new X509Certificate(cert);
    fingerprint256 = certificate.fingerprint256;
    if (!certificate.checkPrivateKey(createPrivateKeyOrThrow(key))) {
      throw new UsageError(`--tls-key ${files.keyFile} is not the key of ${files.certFile}`);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `--tls-cert ${files.certFile} is not a PEM certificate: ${(error as Error).message}`,
    );
  }
  return { cert, key, fingerprint256 };
}

function createPrivateKeyOrThrow(pem: string) {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw new UsageError(`--tls-key is not a PEM private key: ${(error as Error).message}`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error('hub: failed to start:', error);
  process.exit(1);
});
