// Roster rules shared by the kiosk and the hub (pure: no SQLite, no files).
import { createHash } from 'node:crypto';

/**
 * The stable guest id for a registration id: the same on every kiosk and on the hub, so two
 * imports of one roster converge on the same guests without coordination.
 */
export function guestIdForRegistration(registrationId: string): string {
  const digest = createHash('sha256').update(registrationId.normalize('NFC'), 'utf8').digest('hex');
  return `g-${digest.slice(0, 32)}`;
}
