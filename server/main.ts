// `npm run hub`: starts the hub (SQLite in --data), or runs one of its admin commands.
// First start prints the admin token once; only its SHA-256 is kept.
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
  const adminToken = await ensureAdminToken(db);
  const app = await buildHubApp({ db });
  const address = await app.listen({ host: command.host, port: command.port });
  if (adminToken) {
    console.log(`hub: admin token (shown once, stored as SHA-256): ${adminToken}`);
  }
  console.log(`hub: listening on ${address} (dashboard: ${address}/dashboard/)`);
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

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error('hub: failed to start:', error);
  process.exit(1);
});
