/**
 * Peak resident memory of the app's process with 100 runs under way at once, against the same process
 * idle: `dist/main.js` as `npm start` runs it, with the in-process queue, the GitHub simulator and the
 * model server in the benchmark's process.
 */
import { labelled, memory, startAppUnderTest } from "../lib/app-process-run.js";
import type { BenchRow } from "./row.js";

const RUNS = 100;
const WATCH_MS = 45_000;

export default async function rss(): Promise<BenchRow[]> {
  const ids = Array.from({ length: RUNS }, (_, i) => `R${i}P1`);
  const app = await startAppUnderTest(ids);
  let idle = Number.NaN;
  let peak = Number.NaN;
  let started = 0;
  try {
    await new Promise((r) => setTimeout(r, 2_000));
    idle = memory(app.pid).rss;
    const issues = await Promise.all(ids.map((_, i) => app.label(1, `R${i}P`)));
    // GitHub's throttling (writes a second apart per installation, as in production) keeps them all under way.
    const deadline = Date.now() + WATCH_MS;
    while (Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    peak = memory(app.pid).peak;
    started = (
      await Promise.all(
        issues.map((issue) =>
          labelled(app, issue, "autopack", 1).then(() =>
            app.sim.comments("acme", "widgets", issue).some((c) => c.body?.includes("Autopack run `gh-")),
          ),
        ),
      )
    ).filter(Boolean).length;
  } finally {
    await app.close();
  }
  return [
    {
      figure: `peak RSS with ${RUNS} concurrent runs`,
      baseline: `an idle process: ${idle.toFixed(0)} MB`,
      target: "≤ 250 MB",
      measured: `${peak.toFixed(0)} MB (${(peak - idle).toFixed(0)} MB over idle)`,
      met: peak <= 250,
      detail:
        `${RUNS} issues labelled at once, each a one-phase plan; the process's peak resident set (VmHWM) after ` +
        `${WATCH_MS / 1000} s, while GitHub's write throttling (a second apart per installation, as in production) keeps the ` +
        `runs under way (${started} of ${RUNS} had their status comment by then). Idle: the same process 2 s after it listens.`,
    },
  ];
}
