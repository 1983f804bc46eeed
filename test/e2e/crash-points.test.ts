import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until, type AppProcess } from "../support/app-process.js";
import {
  addRepos,
  approved,
  explainRuns,
  countProblems,
  deliverLabel,
  startFleet,
  workload,
  type Fleet,
} from "../support/process-fleet.js";
import { parsePurposeId } from "../../src/llm/port.js";
import { startTap, type Tap, type TappedRequest } from "../support/tap-proxy.js";

/**
 * kill -9 of a worker at each step of a phase. Seven one-phase runs, each in its own repository of its
 * own account (so its own installation, whose GitHub write budget it does not share), and each meets
 * one crash point: the worker that makes that run's request is killed at that moment, and a fresh
 * worker is started in its place. Every worker
 * talks to GitHub and to the model through taps of its own, so the test knows which process sent what.
 */
const REPOS = [
  { owner: "acme", repo: "r1" },
  { owner: "globex", repo: "r2" },
  { owner: "initech", repo: "r3" },
  { owner: "umbrella", repo: "r4" },
  { owner: "hooli", repo: "r5" },
  { owner: "stark", repo: "r6" },
  { owner: "wayne", repo: "r7" },
];

interface CrashPoint {
  name: string;
  when: "before" | "after";
  matches(req: TappedRequest, fleet: Fleet): boolean;
}

const git = (method: RegExp, repo: string, rest: string) => (req: TappedRequest) =>
  method.test(req.method) && new RegExp(`^/api/v3/repos/[^/]+/${repo}/${rest}(\\?|$)`).test(req.path);

const POINTS: CrashPoint[] = [
  {
    name: "after the model answered",
    when: "after",
    matches: (req) => {
      const purpose = parsePurposeId(String(req.headers["x-client-request-id"] ?? ""));
      return purpose?.phaseId === "P1" && purpose.role === "builder";
    },
  },
  { name: "after the tree", when: "after", matches: git(/^POST$/, "r2", "git/trees") },
  { name: "after the commit", when: "after", matches: git(/^POST$/, "r3", "git/commits") },
  { name: "after the ref", when: "after", matches: git(/^(POST|PATCH)$/, "r4", "git/refs(/.*)?") },
  { name: "after the PR", when: "after", matches: git(/^POST$/, "r5", "pulls") },
  { name: "after the review", when: "after", matches: git(/^POST$/, "r6", "pulls/\\d+/reviews") },
  {
    name: "before the state write",
    when: "before",
    // A write of the run's state once its pull request is open (the state then names it).
    matches: (req, fleet) => git(/^PATCH$/, "r7", "issues/comments/\\d+")(req) && fleet.sim.pulls("wayne", "r7").length > 0,
  },
];

let fleet: Fleet;
const taps: Tap[] = [];
const crashed: string[] = [];

beforeAll(async () => {
  fleet = await startFleet();
});
afterAll(async () => {
  await fleet.close();
  await Promise.all(taps.map((t) => t.close()));
});

/** A worker whose GitHub and model traffic go through taps that kill it at the crash points. */
async function startWorker(): Promise<AppProcess> {
  let self: AppProcess | undefined;
  const rule = (req: TappedRequest) => {
    const point = POINTS.find((p) => !crashed.includes(p.name) && p.matches(req, fleet));
    if (!point || self === undefined) return undefined;
    crashed.push(point.name);
    return point.when;
  };
  const hit = async () => {
    const dying = self!;
    await fleet.kill(dying);
    // A fresh worker takes the dead one's place; its jobs come back once their lease runs out.
    void startWorker();
  };
  const github = await startTap(fleet.sim.baseUrl.replace(/\/api\/v3$/, ""), rule, hit);
  const model = await startTap(fleet.llm.baseURL.replace(/\/v1$/, ""), rule, hit);
  taps.push(github, model);
  self = await fleet.start("worker", { GHE_HOST: github.host, OPENAI_BASE_URL: `${model.origin}/v1` });
  return self;
}

describe("a worker killed at any step of a phase", () => {
  it("leaves exactly one PR per phase, one review per audit, one status comment per run, and each outcome mirrored once", async () => {
    addRepos(fleet, REPOS);
    const runs = workload(fleet, REPOS, REPOS.length);
    const web = await fleet.start("web");
    await Promise.all([startWorker(), startWorker(), startWorker()]);
    const webhookUrl = `http://127.0.0.1:${web.port}/api/github/webhooks`;
    for (const run of runs) expect(await deliverLabel(fleet, webhookUrl, run)).toEqual([200]);

    await until(
      "every run approved",
      () => (runs.every((run) => approved(fleet, run)) ? true : undefined),
      360_000,
      () => explainRuns(fleet, runs),
    );
    expect([...crashed].sort()).toEqual(POINTS.map((p) => p.name).sort());
    // Every outcome reached the orchestrator once: a worker killed between sending an outcome and
    // writing the run's state (the last crash point, or any kill that lands there) leaves it pending,
    // and the next worker finds the service already counts it.
    expect(countProblems(fleet, runs)).toEqual([]);
  }, 420_000);
});
