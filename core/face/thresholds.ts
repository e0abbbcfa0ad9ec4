// Default open-set thresholds for identify(): Euclidean distances between face-api descriptors.
//
// How they were chosen (`npm run eval -- ../shared/faces-dev --calibrate`, 2026-11-30):
//  - Data: the four sets of shared/faces-dev (deepface_tests 13 people/61 photos, faceapi_bbt
//    8/40, facerec_ageitgey 6/22, openface_examples 4/6), descriptors from createFaceEngine with
//    its default detector (tiny, input 320, tight-crop padding), largest face per photo.
//  - Protocol: open-set identification per set, four splits (half the people enrolled with half of
//    their photos; probes = their other photos + every photo of the other half); pairs and probes
//    never cross sets; one photo at several resolutions counts once.
//  - Rule: threshold and margin chosen together on a grid (0.40–0.70 × 0–0.25, step 0.005),
//    minimising 5·(wrong-guest rate + false-accept rate) + miss rate pooled over all sets (a wrong
//    check-in costs five times a guest sent to the desk), averaged over a ±0.01 neighbourhood so
//    the point sits in a flat region. Leave-one-set-out shows how far that holds on unseen faces:
//    chosen on three sets, the fourth scored open-set correct 84.9%, wrong 0.7%, false-accept 3.1%
//    pooled (per-set choices 0.485–0.605: the data is small, treat these as a starting point).
//  - At these values, all four sets pooled: verification FAR 0.2%, TAR 89.8% (2,790 pairs);
//    open-set correct 92.1%, wrong guest 0%, false accept 0.8% (395 probes).
//  - With the ssd detector the same rule picks 0.49 / 0.01: re-run the calibration when the
//    detector or its input size changes. False accepts grow with the gallery size (these galleries
//    hold 2–7 people), so at event scale the margin and the multi-frame vote matter more.
import type { MatchThresholds } from './distance';

export const MATCH_THRESHOLDS: Readonly<MatchThresholds> = Object.freeze({
  maxDistance: 0.55,
  minMargin: 0.12,
});
