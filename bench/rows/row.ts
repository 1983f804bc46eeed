/** One line of the benchmark table in `bench/RESULTS.md`. */
export interface BenchRow {
  /** What is measured. */
  figure: string;
  /** What it is compared with, measured in the same run. */
  baseline: string;
  target: string;
  measured: string;
  /** Whether the target is met; null when the row has no target (a plain measurement). */
  met: boolean | null;
  /** How it was measured, and, when missed, by how much, why and what would close it. */
  detail?: string;
}

/** A benchmark module: `bench/rows/<name>.ts` exports one of these as its default. */
export type BenchRowModule = () => Promise<BenchRow[]>;
