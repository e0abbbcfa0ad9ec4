// Default open-set thresholds for identify() (Euclidean distance between face-api descriptors).
// PROVISIONAL: replaced by the calibrated values from `npm run eval` (see below) once calibrated.
import type { MatchThresholds } from './distance';

export const MATCH_THRESHOLDS: Readonly<MatchThresholds> = Object.freeze({
  maxDistance: 0.5,
  minMargin: 0.05,
});
