// Typed errors of the matcher and the vote: every bad input is refused with a code the caller can act on.

export type MatcherErrorCode =
  | 'bad_descriptor' // wrong type or length
  | 'non_finite_descriptor' // NaN or ±Infinity in a component
  | 'bad_guest_id' // empty or not a string
  | 'bad_thresholds' // maxDistance / minMargin out of range
  | 'bad_vote_options' // k, n or windowMs out of range
  | 'wasm_unavailable'; // the fast kernel cannot run here (no WebAssembly SIMD)

export class MatcherError extends Error {
  override readonly name = 'MatcherError';
  constructor(
    readonly code: MatcherErrorCode,
    message: string,
  ) {
    super(message);
  }
}
