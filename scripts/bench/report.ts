// The one output format of every benchmark: a JSON line per figure.

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The same measure for the baseline, run in the same process (null when there is none). */
  baseline: number | null;
  /** How many times better than the baseline (direction depends on the unit: ms lower is better). */
  ratio: number | null;
  /** Optional context: sample count, percentiles, target. */
  note?: string;
}

export type Report = (figure: Figure) => void;

export interface BenchModule {
  run(report: Report): Promise<void>;
}

export function printFigure(figure: Figure): void {
  const round = (n: number | null) => (n === null ? null : Math.round(n * 1000) / 1000);
  console.log(
    JSON.stringify({
      ...figure,
      value: round(figure.value),
      baseline: round(figure.baseline),
      ratio: round(figure.ratio),
    }),
  );
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
