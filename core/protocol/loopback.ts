// Hosts where plain http never leaves the machine. Shared by the hub (which refuses to serve
// plain http on a network address) and the sync client (which refuses to send plain http to one).
import { isIP } from 'node:net';

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}
