// What can go wrong talking to the hub, as types the client (and the UI) can act on.
export type SyncErrorKind =
  /** No answer: network down, hub stopped, timeout. Retry with backoff. */
  | 'unreachable'
  /** The hub failed (5xx) or answered something that is not the protocol. Retry with backoff. */
  | 'hub_error'
  /** The token is missing, wrong or revoked. Retrying will not help: pair again. */
  | 'unauthorized'
  /** The hub refused the request as invalid (4xx). Retrying the same request will not help. */
  | 'rejected';

export class SyncError extends Error {
  override readonly name = 'SyncError';
  constructor(
    readonly kind: SyncErrorKind,
    message: string,
    /** The hub's error code, when it sent one. */
    readonly code: string | null = null,
    readonly status: number | null = null,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.kind === 'unreachable' || this.kind === 'hub_error';
  }
}
