// The desk reads time only through this, so tests drive lockouts and idle expiry without waiting.
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export function isoAt(clock: Clock): string {
  return new Date(clock()).toISOString();
}
