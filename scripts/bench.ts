// `npm run bench [-- name ...]`: runs every benchmark module in scripts/bench/ (or the named ones)
// and prints one JSON line per figure: {"name", "value", "unit", "baseline", "ratio"}.
// Each module measures against a baseline run in the same process, never against a fixed time.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchModule } from './bench/report';
import { printFigure } from './bench/report';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'bench');
const wanted = process.argv.slice(2);
const modules = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

for (const file of modules) {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as BenchModule;
  console.error(`bench: ${file}`);
  await mod.run(printFigure);
}
