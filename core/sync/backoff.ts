// Retry delays when the hub is away: exponential, capped, with "full jitter" so a room of
// kiosks coming back after an outage does not knock on the hub in step.
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 60_000 };

/** Delay before retry number `attempt` (1 = first retry); `random` in [0, 1). */
export function backoffDelay(
  attempt: number,
  random: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  // Never less than half the ceiling: jitter spreads retries without collapsing them to zero.
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}
