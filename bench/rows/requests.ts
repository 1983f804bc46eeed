/**
 * GitHub requests per phase, label to merged, counted in the simulator: what GitHub's rate limits
 * see. A `304 Not Modified` to a conditional request and the installation token's exchange do not
 * count against them. Also: after GitHub answers 429 with `Retry-After`, nothing is sent before it.
 */
import type { RequestLogEntry } from "../../test/support/github-sim/index.js";
import { phaseRun } from "../lib/phase-run.js";
import type { BenchRow } from "./row.js";

const PHASES = 3;
/** ref, tree, commit, ref, PR, check run, PR files, review, check run update, status edit, the merge observed. */
const MINIMAL = 11;
const RETRY_AFTER_S = 1;

/** Why the request rows miss, when they do, and what would close the gap (from the table in the details). */
const MISS =
  "**Why it misses, and what would close it.** Conditional requests, the remembered configuration and repository facts " +
  "and once-per-job branch reads took the run from about 59 to the figure above. What is left is structural: a phase is " +
  "five turns of the Supervisor (the merge that starts it, the build, the build recorded, the audit, the audit recorded), " +
  "and each turn reads the run's state from the issue's comments and looks at the PR and its checks. The status comment is " +
  "rewritten in three of them, and each rewrite makes the next turn's read of the comments a fresh 200 rather than a 304. " +
  "Recording a build's and an audit's outcome in the job that produced it (under the issue's lock) instead of a queued " +
  "turn would save two state reads, two PR and checks looks and two status edits per phase (about 10 requests, 2 of them " +
  "writes); taking a merged PR's state and head from the `pull_request.closed` payload would save the PR read of the merge turn.";

const counted = (r: RequestLogEntry) => r.status !== 304 && !/^\/app\/installations\/\d+\/access_tokens/.test(r.path);
const isWrite = (r: RequestLogEntry) => r.method !== "GET" && r.method !== "HEAD";

/** `GET /repos/o/r/pulls/2` → `GET /repos/{owner}/{repo}/pulls/{n}`: requests grouped by what they ask. */
function shape(r: RequestLogEntry): string {
  const path = r.path
    .split("?")[0]!
    .replace(/^\/repos\/[^/]+\/[^/]+/, "/repos/{o}/{r}")
    .replace(/\/[0-9a-f]{40}(?=\/|$)/g, "/{sha}")
    .replace(/\/\d+(?=\/|$)/g, "/{n}")
    .replace(/\/git\/(ref|refs)\/.+$/, "/git/$1/{ref}");
  return `${r.method} ${path}`;
}

function table(requests: RequestLogEntry[]): string {
  const by = new Map<string, { n: number; notModified: number }>();
  for (const r of requests) {
    if (!counted(r) && r.status !== 304) continue;
    const entry = by.get(shape(r)) ?? { n: 0, notModified: 0 };
    if (r.status === 304) entry.notModified += 1;
    else entry.n += 1;
    by.set(shape(r), entry);
  }
  const rows = [...by].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]));
  return [
    "| request | counted, whole run | 304 (free) |",
    "| --- | --- | --- |",
    ...rows.map(([k, v]) => `| \`${k}\` | ${v.n} | ${v.notModified} |`),
  ].join("\n");
}

export default async function requests(): Promise<BenchRow[]> {
  let perPhase = 0;
  let writesPerPhase = 0;
  let detail = "";
  await phaseRun({ phases: PHASES }, async (h, run) => {
    const before = h.sim.requests.length;
    await run();
    const all = h.sim.requests.slice(before);
    const rated = all.filter(counted);
    perPhase = rated.length / PHASES;
    writesPerPhase = rated.filter(isWrite).length / PHASES;
    const free = all.filter((r) => r.status === 304).length;
    detail =
      `A ${PHASES}-phase run (one phase per tier, each built once, approved and merged by a person) against the GitHub ` +
      `simulator: ${rated.length} counted requests (${rated.filter(isWrite).length} writes), ${free} answered 304. ` +
      `Calls per verb of the door: ${Object.entries(h.calls.all())
        .map(([verb, n]) => `${verb} ${n}`)
        .join(", ")}.\n\n${table(all)}`;
  });

  // A second run: GitHub answers one request with 429 and `Retry-After`; what comes next waits for it.
  let gapMs = Number.NaN;
  let limited = "";
  await phaseRun(
    {
      phases: 1,
      before: (h) =>
        h.sim.fault({
          method: "GET",
          path: /\/pulls\/\d+$/,
          status: 429,
          headers: { "retry-after": String(RETRY_AFTER_S) },
          body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." },
        }),
    },
    async (h, run) => {
      await run();
      const at = h.sim.requests.findIndex((r) => r.status === 429);
      const next = h.sim.requests[at + 1];
      if (at >= 0 && next) {
        gapMs = next.at - h.sim.requests[at]!.at;
        limited = `${shape(h.sim.requests[at]!)} answered 429 with \`Retry-After: ${RETRY_AFTER_S}\`; the next request, ${shape(next)}, came ${gapMs} ms later.`;
      } else limited = "the simulator's 429 was never asked for";
    },
  );
  const retryOk = gapMs >= RETRY_AFTER_S * 1000;
  return [
    {
      figure: "rate-limited GitHub requests per phase, label to merged (304s and token exchanges not counted)",
      baseline: `the minimal sequence: ${MINIMAL}`,
      target: "≤ 15",
      measured: `${perPhase.toFixed(1)} (${(perPhase / MINIMAL).toFixed(2)}× the minimal)`,
      met: perPhase <= 15,
      detail: perPhase <= 15 ? detail : `${detail}\n\n${MISS}`,
    },
    {
      figure: "GitHub writes per phase, label to merged",
      baseline: "the minimal sequence: 8 (ref, tree, commit, ref, PR, check run, review, check run update) + 1 status edit",
      target: "≤ 8",
      measured: writesPerPhase.toFixed(1),
      met: writesPerPhase <= 8,
      detail:
        writesPerPhase <= 8
          ? undefined
          : "The seven writes of the minimal sequence, the status comment edited three times per phase (the phase started, " +
            "built, audited), and the run's start and end (the comment posted and bound, its seal, the label, the summary). " +
            "One status edit per phase, at its outcome, would meet the target; see the requests row for how.",
    },
    {
      figure: "requests sent inside a Retry-After window",
      baseline: "—",
      target: "none",
      measured: retryOk ? "none" : "one or more",
      met: retryOk,
      detail: limited,
    },
  ];
}
