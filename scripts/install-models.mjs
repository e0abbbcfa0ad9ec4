// Copies the face-api weights the engine uses from the installed npm package into models/,
// then checks each file against models/manifest.json (SHA-256). Runs on `npm install`.
// Weights never come from the network at run time: the engine loads them from models/.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'node_modules', '@vladmandic', 'face-api', 'model');
const target = join(root, 'models');
const manifestPath = join(target, 'manifest.json');
const NETS = [
  'tiny_face_detector_model',
  'ssd_mobilenetv1_model',
  'face_landmark_68_model',
  'face_recognition_model',
];

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

if (!existsSync(source)) {
  console.error(`install-models: ${source} is missing; run npm install first.`);
  process.exit(1);
}
mkdirSync(target, { recursive: true });
const files = NETS.flatMap((net) => [`${net}-weights_manifest.json`, `${net}.bin`]);
const writeManifest = process.argv.includes('--write-manifest') || !existsSync(manifestPath);
const manifest = writeManifest
  ? { source: '@vladmandic/face-api/model', files: {} }
  : JSON.parse(readFileSync(manifestPath, 'utf8'));
let bad = 0;
for (const name of files) {
  const from = join(source, name);
  copyFileSync(from, join(target, name));
  const sum = sha256(join(target, name));
  if (writeManifest) manifest.files[name] = sum;
  else if (manifest.files[name] !== sum) {
    console.error(`install-models: ${name} does not match models/manifest.json (got ${sum}).`);
    bad++;
  }
}
if (writeManifest) writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
if (bad) process.exit(1);
console.log(
  `install-models: ${files.length} weight files in models/ verified against manifest.json`,
);
