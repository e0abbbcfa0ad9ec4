// `npm run eval -- DIR [--calibrate] [--detector tiny|ssd] [--detector-input N] [--probe-input N]
//   [--threshold X] [--margin Y] [--no-cache]`
//
// --probe-input N describes the probes (the faces a kiosk sees) with the tiny detector at input N
// while the enrolled side keeps --detector-input: the kiosk's live path runs a smaller detector
// input than enrolment, and this measures exactly that pairing.
//
// Measures recognition on labelled photos with the real face engine and the real matcher.
// DIR is one of: a folder with one sub-folder per person; a set root holding labels.csv
// (file,identity); or a folder of such sets (e.g. ../shared/faces-dev), which runs every set.
//
// Per set it reports
//  - verification: every same-person pair and every different-person pair WITHIN the set (the
//    same public figure can appear in several sets under other labels), accepted when the distance
//    is under the threshold: accuracy, false-accept rate (FAR) and true-accept rate (TAR);
//    pairs of one photo at different resolutions are skipped (found by image content, below);
//  - open-set identification: half the people enrolled in a FaceMatcher with about half of their
//    photos, the rest of their photos and every photo of the other half as probes; each probe's
//    answer is decide(matcher.nearest(probe), thresholds), i.e. exactly matcher.identify(); four
//    splits (both halves × both photo halves): correct, wrong-guest and false-accept rates.
// --calibrate also chooses the thresholds: leave-one-set-out (choose on the other sets, report on
// the held-out one) and finally on all sets; the rule is in chooseThresholds.
// The last line is ONE JSON object: {"verification": {...}, "openSet": {...}} (pooled over sets).
//
// Descriptors are biometric data: they are cached only under the OS temp dir (never in the repo)
// and never printed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, relative, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import sharp from 'sharp';
import { createFaceEngine } from '../core/face/engine';
import type { FaceEngine } from '../core/face/engine';
import { decide, euclideanDistance } from '../core/face/distance';
import type { MatchThresholds } from '../core/face/distance';
import { FaceMatcher } from '../core/face/matcher';
import type { Nearest } from '../core/face/matcher';
import { MATCH_THRESHOLDS } from '../core/face/thresholds';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp']);
/** A false accept (wrong guest checked in) costs this many false rejects (staff look the guest up). */
const FALSE_ACCEPT_COST = 5;

interface Photo {
  file: string;
  identity: string;
}

interface Sample extends Photo {
  descriptor: Float32Array;
  /** The same photo described as a kiosk probe (--probe-input); null: as `descriptor`. */
  probe: Float32Array | null;
  /** Photos with the same key are one photo (e.g. the same picture at several resolutions). */
  photoKey: string;
}

interface SetData {
  name: string;
  samples: Sample[];
  noFace: string[];
  unreadable: string[];
}

interface Pair {
  same: boolean;
  distance: number;
}

// --- arguments --------------------------------------------------------------------------------

interface Args {
  dir: string;
  calibrate: boolean;
  detector: 'tiny' | 'ssd' | undefined;
  /** Tiny detector input side; undefined: the engine default. */
  detectorInput: number | undefined;
  /** Tiny detector input side for probes; undefined: as the enrolled side. */
  probeInput: number | undefined;
  thresholds: MatchThresholds;
  cache: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    dir: '',
    calibrate: false,
    detector: undefined,
    detectorInput: undefined,
    probeInput: undefined,
    thresholds: { ...MATCH_THRESHOLDS },
    cache: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    if (a === '--calibrate') args.calibrate = true;
    else if (a === '--no-cache') args.cache = false;
    else if (a === '--detector') {
      const d = value();
      if (d !== 'tiny' && d !== 'ssd') fail(`--detector must be tiny or ssd, got ${d}`);
      args.detector = d;
    } else if (a === '--detector-input') args.detectorInput = inputSide(a, value());
    else if (a === '--probe-input') args.probeInput = inputSide(a, value());
    else if (a === '--threshold') args.thresholds.maxDistance = positiveNumber(a, value());
    else if (a === '--margin') args.thresholds.minMargin = positiveNumber(a, value(), true);
    else if (a.startsWith('--')) fail(`unknown option ${a}`);
    else if (args.dir) fail(`one DIR only (got ${args.dir} and ${a})`);
    else args.dir = a;
  }
  if (!args.dir) {
    fail(
      'usage: npm run eval -- DIR [--calibrate] [--detector tiny|ssd] [--detector-input N] [--probe-input N] [--threshold X] [--margin Y]',
    );
  }
  return args;
}

function inputSide(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 64 || n > 1024 || n % 32 !== 0) {
    fail(`${name} must be a multiple of 32 between 64 and 1024, got ${text}`);
  }
  return n;
}

function positiveNumber(name: string, text: string, zeroOk = false): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || (!zeroOk && n === 0)) fail(`${name} must be a number > 0`);
  return n;
}

function fail(message: string): never {
  console.error(`eval: ${message}`);
  process.exit(2);
}

// --- finding the photos -----------------------------------------------------------------------

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

function listPhotos(setDir: string): Photo[] {
  const labels = join(setDir, 'labels.csv');
  if (existsSync(labels)) {
    const rows = parse(readFileSync(labels, 'utf8'), { columns: true, skip_empty_lines: true }) as {
      file?: string;
      identity?: string;
    }[];
    return rows.map((row, i) => {
      if (!row.file || !row.identity) fail(`${labels} row ${i + 2}: needs file and identity`);
      return { file: join(setDir, row.file), identity: row.identity };
    });
  }
  const photos: Photo[] = [];
  for (const person of readdirSync(setDir).sort()) {
    const personDir = join(setDir, person);
    if (!isDir(personDir)) continue;
    for (const file of readdirSync(personDir).sort()) {
      if (IMAGE_EXTENSIONS.has(extname(file).toLowerCase())) {
        photos.push({ file: join(personDir, file), identity: person });
      }
    }
  }
  return photos;
}

/** DIR is a set (labels.csv or person folders with photos) or a folder of sets. */
function findSets(dir: string): { name: string; dir: string }[] {
  if (!isDir(dir)) fail(`${dir} is not a directory`);
  if (existsSync(join(dir, 'labels.csv'))) return [{ name: basename(dir), dir }];
  const subSets = readdirSync(dir)
    .sort()
    .filter((d) => existsSync(join(dir, d, 'labels.csv')))
    .map((d) => ({ name: d, dir: join(dir, d) }));
  if (subSets.length > 0) return subSets;
  return [{ name: basename(resolve(dir)), dir }];
}

// --- descriptors --------------------------------------------------------------------------------

const CACHE_DIR = join(tmpdir(), 'face-eval-cache');

/** The largest face's descriptor, or null when none is found. Cached by content + options. */
async function describe(
  engine: FaceEngine,
  bytes: Buffer,
  detector: string | undefined,
  detectorInput: number | undefined,
  cache: boolean,
): Promise<Float32Array | null> {
  const key = createHash('sha256')
    .update(bytes)
    .update(`|detector=${detector ?? 'default'}|input=${detectorInput ?? 'default'}|pad=1|largest`)
    .digest('hex');
  const cacheFile = join(CACHE_DIR, `${key}.json`);
  if (cache && existsSync(cacheFile)) {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as { descriptor: number[] | null };
    return cached.descriptor === null ? null : Float32Array.from(cached.descriptor);
  }
  const result = await engine.detect(
    { kind: 'encoded', data: new Uint8Array(bytes) },
    {
      padToFindTightCrop: true,
      ...(detector ? { detector: detector as 'tiny' | 'ssd' } : {}),
      ...(detectorInput ? { detectorInputSize: detectorInput } : {}),
    },
  );
  let best: Float32Array | null = null;
  let bestArea = -1;
  for (const face of result.faces) {
    const area = face.box.width * face.box.height;
    if (area > bestArea && face.descriptor.length === 128) {
      bestArea = area;
      best = face.descriptor;
    }
  }
  if (cache) {
    mkdirSync(CACHE_DIR, { recursive: true, mode: 0o700 });
    writeFileSync(
      cacheFile,
      JSON.stringify({ descriptor: best === null ? null : Array.from(best) }),
      { mode: 0o600 },
    );
  }
  return best;
}

/** 16×16 grey thumbnail + aspect ratio: two files of one photo at other resolutions look alike. */
async function thumbnail(bytes: Buffer): Promise<{ aspect: number; pixels: Uint8Array }> {
  const meta = await sharp(bytes).metadata();
  const pixels = await sharp(bytes).greyscale().resize(16, 16, { fit: 'fill' }).raw().toBuffer();
  return { aspect: (meta.width ?? 1) / (meta.height ?? 1), pixels: new Uint8Array(pixels) };
}

function samePhoto(
  a: { aspect: number; pixels: Uint8Array },
  b: { aspect: number; pixels: Uint8Array },
): boolean {
  if (Math.abs(a.aspect - b.aspect) > 0.02 * a.aspect) return false;
  let diff = 0;
  for (let i = 0; i < a.pixels.length; i++) diff += Math.abs(a.pixels[i]! - b.pixels[i]!);
  return diff / a.pixels.length < 6; // grey levels: resampling noise is ~1, other photos are ≫ 10
}

async function loadSet(
  engine: FaceEngine,
  set: { name: string; dir: string },
  args: Args,
): Promise<SetData> {
  const photos = listPhotos(set.dir);
  const samples: Sample[] = [];
  const noFace: string[] = [];
  const unreadable: string[] = [];
  const thumbs: { aspect: number; pixels: Uint8Array; key: string }[] = [];
  for (const photo of photos) {
    const rel = relative(set.dir, photo.file);
    let bytes: Buffer;
    let descriptor: Float32Array | null;
    let probe: Float32Array | null = null;
    let thumb: { aspect: number; pixels: Uint8Array };
    try {
      bytes = readFileSync(photo.file);
      descriptor = await describe(engine, bytes, args.detector, args.detectorInput, args.cache);
      if (descriptor !== null && args.probeInput !== undefined) {
        probe = await describe(engine, bytes, args.detector, args.probeInput, args.cache);
        if (probe === null) {
          noFace.push(`${rel} (as a probe at ${args.probeInput})`);
          continue;
        }
      }
      thumb = await thumbnail(bytes);
    } catch (e) {
      // A missing or broken file is reported and skipped, not allowed to end the run.
      const reason = e instanceof Error ? ((e as { code?: string }).code ?? e.message) : String(e);
      unreadable.push(`${rel}: ${reason}`);
      continue;
    }
    if (descriptor === null) {
      noFace.push(rel);
      continue;
    }
    const twin = thumbs.find((t) => samePhoto(t, thumb));
    const photoKey = twin?.key ?? rel;
    thumbs.push({ ...thumb, key: photoKey });
    samples.push({ ...photo, file: rel, descriptor, probe, photoKey });
  }
  return { name: set.name, samples, noFace, unreadable };
}

// --- verification -------------------------------------------------------------------------------

function pairsOf(set: SetData): Pair[] {
  const pairs: Pair[] = [];
  const s = set.samples;
  for (let i = 0; i < s.length; i++) {
    for (let j = i + 1; j < s.length; j++) {
      if (s[i]!.photoKey === s[j]!.photoKey) continue; // one photo, not two
      pairs.push({
        same: s[i]!.identity === s[j]!.identity,
        // Enrolled side i, probe side j (the same descriptor unless --probe-input).
        distance: euclideanDistance(s[i]!.descriptor, s[j]!.probe ?? s[j]!.descriptor),
      });
    }
  }
  return pairs;
}

interface Verification {
  pairs: number;
  samePairs: number;
  differentPairs: number;
  accuracy: number;
  far: number;
  tar: number;
  threshold: number;
}

function verify(pairs: Pair[], threshold: number): Verification {
  let ta = 0;
  let fa = 0;
  let same = 0;
  for (const p of pairs) {
    if (p.same) same++;
    if (p.distance < threshold) {
      if (p.same) ta++;
      else fa++;
    }
  }
  const different = pairs.length - same;
  const correct = ta + (different - fa);
  return {
    pairs: pairs.length,
    samePairs: same,
    differentPairs: different,
    accuracy: pairs.length ? correct / pairs.length : NaN,
    far: different ? fa / different : NaN,
    tar: same ? ta / same : NaN,
    threshold,
  };
}

// --- open-set identification ------------------------------------------------------------------

interface OpenSet {
  probes: number;
  knownProbes: number;
  unknownProbes: number;
  correct: number;
  wrongGuest: number;
  falseAccept: number;
  ambiguous: number;
}

function emptyOpenSet(): OpenSet {
  return {
    probes: 0,
    knownProbes: 0,
    unknownProbes: 0,
    correct: 0,
    wrongGuest: 0,
    falseAccept: 0,
    ambiguous: 0,
  };
}

function addOpenSet(a: OpenSet, b: OpenSet): OpenSet {
  return {
    probes: a.probes + b.probes,
    knownProbes: a.knownProbes + b.knownProbes,
    unknownProbes: a.unknownProbes + b.unknownProbes,
    correct: a.correct + b.correct,
    wrongGuest: a.wrongGuest + b.wrongGuest,
    falseAccept: a.falseAccept + b.falseAccept,
    ambiguous: a.ambiguous + b.ambiguous,
  };
}

interface Trial {
  known: boolean;
  identity: string;
  nearest: Nearest;
}

/**
 * Four splits: people alternate between enrolled and not (by sorted name, then swapped); enrolled
 * people give the first or the second half of their distinct photos (at least one stays a probe
 * when they have two or more). Probes that are the same photo as an enrolled one are skipped.
 * The matcher's two nearest guests per probe do not depend on the thresholds, so they are found
 * once; identify() is decide(nearest), which scoreOpenSet applies for any thresholds.
 */
function openSetTrials(set: SetData): Trial[] {
  const people = [...new Set(set.samples.map((s) => s.identity))].sort();
  const trials: Trial[] = [];
  for (const half of [0, 1]) {
    for (const photoHalf of [0, 1]) {
      const matcher = new FaceMatcher();
      const probes: { sample: Sample; known: boolean }[] = [];
      const enrolledKeys = new Set<string>();
      people.forEach((person, index) => {
        const mine = set.samples.filter((s) => s.identity === person);
        if (index % 2 !== half) {
          for (const s of mine) probes.push({ sample: s, known: false });
          return;
        }
        const keys = [...new Set(mine.map((s) => s.photoKey))];
        const enrolCount = Math.max(1, Math.floor(keys.length / 2));
        const enrolKeys = new Set(
          photoHalf === 0 ? keys.slice(0, enrolCount) : keys.slice(keys.length - enrolCount),
        );
        const enrol = mine.filter((s) => enrolKeys.has(s.photoKey));
        matcher.setGuest(
          person,
          enrol.map((s) => s.descriptor),
        );
        for (const key of enrolKeys) enrolledKeys.add(key);
        for (const s of mine)
          if (!enrolKeys.has(s.photoKey)) probes.push({ sample: s, known: true });
      });
      for (const { sample, known } of probes) {
        if (enrolledKeys.has(sample.photoKey)) continue;
        trials.push({
          known,
          identity: sample.identity,
          nearest: matcher.nearest(sample.probe ?? sample.descriptor),
        });
      }
    }
  }
  return trials;
}

function scoreOpenSet(trials: Trial[], thresholds: MatchThresholds): OpenSet {
  const result = emptyOpenSet();
  for (const t of trials) {
    const r = decide(t.nearest.best, t.nearest.second, thresholds);
    result.probes++;
    if (t.known) result.knownProbes++;
    else result.unknownProbes++;
    if (r.kind === 'ambiguous') result.ambiguous++;
    if (r.kind !== 'match') continue;
    if (!t.known) result.falseAccept++;
    else if (r.guestId === t.identity) result.correct++;
    else result.wrongGuest++;
  }
  return result;
}

function openSetRates(o: OpenSet) {
  return {
    probes: o.probes,
    correct: o.knownProbes ? o.correct / o.knownProbes : NaN,
    wrongGuest: o.knownProbes ? o.wrongGuest / o.knownProbes : NaN,
    falseAccept: o.unknownProbes ? o.falseAccept / o.unknownProbes : NaN,
  };
}

// --- calibration --------------------------------------------------------------------------------

const THRESHOLD_GRID = range(0.4, 0.7, 0.005);
const MARGIN_GRID = range(0, 0.25, 0.005);
/** Half-width (in grid steps) of the neighbourhood whose mean cost is minimised. */
const SMOOTHING = 2;

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let i = 0; from + i * step <= to + 1e-9; i++)
    out.push(Math.round((from + i * step) * 1e4) / 1e4);
  return out;
}

/** The open-set cost: FALSE_ACCEPT_COST·(wrong-guest + false-accept rates) + (1 − correct rate). */
function openSetCost(o: OpenSet): number {
  const r = openSetRates(o);
  return FALSE_ACCEPT_COST * ((r.wrongGuest || 0) + (r.falseAccept || 0)) + (1 - (r.correct || 0));
}

/**
 * The calibration rule: threshold and margin chosen TOGETHER on open-set identification (they
 * trade the same errors), minimising openSetCost pooled over the given sets. The cost is
 * averaged over a ±SMOOTHING-step neighbourhood first, so the choice sits inside a flat region,
 * not on the edge where the next unseen face flips it.
 */
function chooseThresholds(trialsPerSet: Trial[][]): MatchThresholds {
  const trials = trialsPerSet.flat();
  const cost = THRESHOLD_GRID.map((maxDistance) =>
    MARGIN_GRID.map((minMargin) => openSetCost(scoreOpenSet(trials, { maxDistance, minMargin }))),
  );
  let best = { i: 0, j: 0, cost: Infinity };
  for (let i = 0; i < THRESHOLD_GRID.length; i++) {
    for (let j = 0; j < MARGIN_GRID.length; j++) {
      let sum = 0;
      let n = 0;
      for (let di = -SMOOTHING; di <= SMOOTHING; di++) {
        for (let dj = -SMOOTHING; dj <= SMOOTHING; dj++) {
          const c = cost[i + di]?.[j + dj];
          if (c === undefined) continue;
          sum += c;
          n++;
        }
      }
      if (sum / n < best.cost) best = { i, j, cost: sum / n };
    }
  }
  return { maxDistance: THRESHOLD_GRID[best.i]!, minMargin: MARGIN_GRID[best.j]! };
}

/** What the rule saw: pooled rates over a grid, so a reader can judge the choice. */
function printSweeps(data: SetData[], trialsPerSet: Trial[][]): void {
  const pairs = data.flatMap(pairsOf);
  console.log('\nverification sweep (all sets pooled): threshold → FAR / TAR');
  for (const t of range(0.45, 0.7, 0.025)) {
    const v = verify(pairs, t);
    console.log(`${t.toFixed(3)}: ${pct(v.far)} / ${pct(v.tar)}`);
  }
  const trials = trialsPerSet.flat();
  const margins = [0, 0.05, 0.1, 0.15, 0.2];
  console.log(
    'open-set grid (all sets pooled): threshold \\ margin → correct / wrong / false-accept %',
  );
  console.log('       ' + margins.map((m) => m.toFixed(2).padStart(16)).join(''));
  for (const t of range(0.45, 0.65, 0.025)) {
    const cells = margins.map((m) => {
      const r = openSetRates(scoreOpenSet(trials, { maxDistance: t, minMargin: m }));
      const f = (x: number) => (100 * x).toFixed(1);
      return `${f(r.correct)}/${f(r.wrongGuest)}/${f(r.falseAccept)}`.padStart(16);
    });
    console.log(t.toFixed(3).padStart(7) + cells.join(''));
  }
}

// --- report -----------------------------------------------------------------------------------

const pct = (x: number) => (Number.isNaN(x) ? '   n/a' : `${(100 * x).toFixed(1).padStart(5)}%`);
const round = (x: number) => Math.round(x * 10000) / 10000;

function printSetLine(name: string, v: Verification, o: OpenSet): void {
  const r = openSetRates(o);
  console.log(
    `${name.padEnd(22)} pairs ${String(v.samePairs).padStart(4)}+/${String(v.differentPairs).padStart(5)}-  ` +
      `acc ${pct(v.accuracy)}  FAR ${pct(v.far)}  TAR ${pct(v.tar)}  @${v.threshold.toFixed(3)} | ` +
      `open-set probes ${String(o.probes).padStart(3)} (${o.knownProbes} known/${o.unknownProbes} unknown): ` +
      `correct ${pct(r.correct)}  wrong ${pct(r.wrongGuest)}  FA ${pct(r.falseAccept)}  ambiguous ${o.ambiguous}`,
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sets = findSets(resolve(args.dir));
  const engine = await createFaceEngine({ workers: 1 });
  const data: SetData[] = [];
  try {
    for (const set of sets) {
      const d = await loadSet(engine, set, args);
      console.error(
        `eval: ${d.name}: ${d.samples.length} photos with a face, ${d.noFace.length} without` +
          (d.noFace.length ? ` (${d.noFace.join(', ')})` : '') +
          (d.unreadable.length ? `; unreadable: ${d.unreadable.join('; ')}` : ''),
      );
      data.push(d);
    }
  } finally {
    await engine.close();
  }
  console.log(
    `engine backend ${engine.backend}, detector ${args.detector ?? 'engine default'}, ` +
      `input ${args.detectorInput ?? 'engine default'}` +
      (args.probeInput ? `, probes at input ${args.probeInput}` : ''),
  );

  let thresholds = args.thresholds;
  const trialsPerSet = data.map(openSetTrials);
  if (args.calibrate) {
    if (data.length > 1) {
      console.log(
        '\nleave-one-set-out: thresholds chosen on the OTHER sets, reported on the held-out set',
      );
      let pooled = emptyOpenSet();
      const held = { same: 0, ta: 0, different: 0, fa: 0 };
      data.forEach((d, k) => {
        const t = chooseThresholds(trialsPerSet.filter((_, i) => i !== k));
        const v = verify(pairsOf(d), t.maxDistance);
        const o = scoreOpenSet(trialsPerSet[k]!, t);
        printSetLine(`${d.name} (m=${t.minMargin.toFixed(3)})`, v, o);
        pooled = addOpenSet(pooled, o);
        held.same += v.samePairs;
        held.ta += Math.round(v.tar * v.samePairs);
        held.different += v.differentPairs;
        held.fa += Math.round(v.far * v.differentPairs);
      });
      const r = openSetRates(pooled);
      console.log(
        `held-out pooled: FAR ${pct(held.fa / held.different)}  TAR ${pct(held.ta / held.same)} | ` +
          `open-set correct ${pct(r.correct)}  wrong ${pct(r.wrongGuest)}  FA ${pct(r.falseAccept)}`,
      );
    }
    printSweeps(data, trialsPerSet);
    thresholds = chooseThresholds(trialsPerSet);
    console.log(
      `\nchosen on all ${data.length} set(s): maxDistance ${thresholds.maxDistance}, minMargin ${thresholds.minMargin}` +
        ` (rule: minimise ${FALSE_ACCEPT_COST}·(wrong-guest + false-accept) + miss rates, pooled open-set,` +
        ` mean over a ±${SMOOTHING}-step neighbourhood of the grid)`,
    );
  }

  console.log(`\nat maxDistance ${thresholds.maxDistance}, minMargin ${thresholds.minMargin}:`);
  let pooledOpen = emptyOpenSet();
  const allPairs: Pair[] = [];
  for (const d of data) {
    const pairs = pairsOf(d);
    allPairs.push(...pairs);
    const o = scoreOpenSet(trialsPerSet[data.indexOf(d)]!, thresholds);
    pooledOpen = addOpenSet(pooledOpen, o);
    printSetLine(d.name, verify(pairs, thresholds.maxDistance), o);
  }
  const v = verify(allPairs, thresholds.maxDistance);
  if (data.length > 1) printSetLine('all sets', v, pooledOpen);
  const o = openSetRates(pooledOpen);
  console.log(
    JSON.stringify({
      verification: {
        accuracy: round(v.accuracy),
        far: round(v.far),
        tar: round(v.tar),
        threshold: v.threshold,
      },
      openSet: {
        probes: o.probes,
        correct: round(o.correct),
        wrongGuest: round(o.wrongGuest),
        falseAccept: round(o.falseAccept),
      },
    }),
  );
}

await main();
