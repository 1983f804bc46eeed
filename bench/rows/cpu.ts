/**
 * Orchestration CPU per phase: the app's process (`dist/main.js`, as `npm start` runs it) over three-phase runs
 * from the label to the last merge, divided by the phases, with the GitHub simulator and the model
 * server answering at once from the benchmark's process.
 */
import { cpuMs, labelled, startAppUnderTest } from "../lib/app-process-run.js";
import type { BenchRow } from "./row.js";

const PHASES = 3;
const RUNS = 2;

export default async function cpu(): Promise<BenchRow[]> {
  const idsOf = (run: number) => Array.from({ length: PHASES }, (_, i) => `R${run}P${i + 1}`);
  const app = await startAppUnderTest(Array.from({ length: RUNS + 1 }, (_, run) => idsOf(run)).flat());
  const samples: number[] = [];
  try {
    // The first run is a warm-up: module loading, the JIT and the installation token are not per-phase work.
    for (let run = 0; run <= RUNS; run++) {
      const before = cpuMs(app.pid);
      const issue = await app.label(PHASES, `R${run}P`);
      for (const id of idsOf(run)) {
        await app.audited(issue, id);
        await app.merge(issue, id);
      }
      await labelled(app, issue, "autopack:done");
      await new Promise((r) => setTimeout(r, 300)); // the last turn's tail (the summary comment)
      if (run > 0) samples.push((cpuMs(app.pid) - before) / PHASES);
    }
  } finally {
    await app.close();
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)]!;
  return [
    {
      figure: "orchestration CPU per phase, zero-latency simulators",
      baseline: "—",
      target: "≤ 50 ms",
      measured: `${median.toFixed(0)} ms (runs: ${samples.map((s) => s.toFixed(0)).join(", ")} ms)`,
      met: median <= 50,
      detail:
        `The app's own process (\`src/main.ts\` run by tsx, as \`npm run dev\` does; CPU from \`/proc\`, 10 ms ticks) over ` +
        `${PHASES}-phase runs (label, builds, audits, merges, each phase approved at once), after one warm-up run; the median of ` +
        `${RUNS}. The GitHub simulator and the model server run in the benchmark's process and are not counted.` +
        (median <= 50
          ? ""
          : "\n\n**Why it misses.** A profile of the process over such runs puts most of its CPU in sending and receiving " +
            "HTTP (undici's fetch under Octokit and the OpenAI client, sockets, streams: about a quarter), garbage collection " +
            "(about a tenth), modules loaded on first use, and token counting with the tokenizer; the Supervisor's own code " +
            "is about 1%. Every GitHub request costs CPU in the client, so the requests row's cuts are also CPU " +
            "cuts; what would close the rest: fewer requests per phase (see that row), one Octokit client per installation " +
            "rather than one per job, and counting a file's tokens once per blob instead of once per prompt."),
    },
  ];
}
