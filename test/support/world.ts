import { gunzipSync } from "node:zlib";
import { redactSecrets } from "../../src/policy/untrusted.js";
import { STATUS_MARKER } from "../../src/supervisor/status-comment.js";
import type { Role } from "./github-sim/index.js";
import { startHarness, type Harness, type HarnessOptions } from "./harness.js";
import { OWNER, REPO, scenario } from "./scenario.js";
import { purposeOf } from "./scripted-agents.js";

/** What must hold after every end-to-end test, by name. */
export const INVARIANTS = {
  "github-openapi": "every request the app sent GitHub is one GitHub's REST description allows",
  "model-scripted": "the fake model received no request its script did not expect",
  "model-purpose": "every model request says what it is for (X-Client-Request-Id)",
  "mirror-bodies-valid": "the fake orchestrator refused no body as invalid",
  "mirror-outcome-once": "no builder or auditor result accepted twice for the same run, phase and attempt",
  "one-status-comment": "each run has exactly one status comment",
  "one-open-pr-per-branch": "each phase branch has at most one open pull request",
  "reviews-pinned": "every review the app posts names the commit it is about (commit_id)",
  "no-secrets": "nothing the app wrote to GitHub or the orchestrator holds a secret-shaped string",
} as const;

export type Invariant = keyof typeof INVARIANTS;

export interface Violation {
  invariant: Invariant;
  message: string;
}

export interface WorldOptions extends HarnessOptions {
  /** Files on the default branch of `acme/widgets`, besides a README.md. */
  files?: Record<string, string>;
  /** Roles on `acme/widgets` besides `maintainer`, who maintains it. */
  people?: Record<string, Role>;
  /** Invariants this test breaks on purpose, by name; each must then really be broken. */
  allow?: Invariant[];
  /** Apps that get a check suite on every push to `acme/widgets` (`github-actions`: the repository has workflows). */
  suitesOnPush?: string[];
}

export interface World {
  h: Harness;
  s: ReturnType<typeof scenario>;
  /** Lets this test break these invariants on purpose; each must then really be broken. */
  allow(...invariants: Invariant[]): void;
  /** Every invariant broken now (allowed or not). */
  violations(): Violation[];
  /** Closes everything, then throws when an invariant broke that was not allowed, or an allowed one held. */
  close(): Promise<void>;
}

/**
 * The world of an end-to-end test: the app over real HTTP (see `startHarness`), one repository
 * `acme/widgets` with a maintainer, and the checks every test must pass when it closes.
 */
export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const { files = {}, people = {}, allow = [], suitesOnPush = [], ...harness } = options;
  const h = await startHarness(harness);
  h.sim.addRepo({ owner: OWNER, name: REPO, files: { "README.md": "# widgets\n", ...files }, suitesOnPush });
  h.sim.setPermission(OWNER, REPO, "maintainer", "maintain");
  for (const [login, role] of Object.entries(people)) h.sim.setPermission(OWNER, REPO, login, role);
  const allowed = new Set<Invariant>(allow);
  let closed = false;
  const violations = () => checkInvariants(h);
  return {
    h,
    s: scenario(h),
    allow: (...names) => names.forEach((n) => allowed.add(n)),
    violations,
    async close() {
      if (closed) return;
      closed = true;
      let found: Violation[];
      try {
        found = violations();
      } finally {
        await h.close();
      }
      const broken = new Set(found.map((v) => v.invariant));
      const problems = [
        ...found.filter((v) => !allowed.has(v.invariant)).map((v) => `${v.invariant}: ${v.message}`),
        ...[...allowed].filter((n) => !broken.has(n)).map((n) => `${n}: allowed to break, but it held (remove the opt-out)`),
      ];
      if (problems.length > 0) throw new Error(`The world's invariants:\n${problems.map((p) => `- ${p}`).join("\n")}`);
    },
  };
}

/** Checks every invariant against what the simulator, the fake model and the fake orchestrator saw of `acme/widgets`. */
export function checkInvariants(h: Pick<Harness, "sim" | "llm" | "api">): Violation[] {
  const out: Violation[] = [];
  const add = (invariant: Invariant, message: string) => out.push({ invariant, message });

  for (const error of h.sim.openapiErrors) add("github-openapi", error);
  for (const what of h.llm.unexpected) add("model-scripted", what);
  for (const [i, req] of h.llm.requests.entries())
    if (!purposeOf(req)) add("model-purpose", `request #${i + 1} (${req.path}) has no purpose id: ${req.clientRequestId ?? "(no header)"}`);
  for (const body of h.api?.invalidBodies ?? []) add("mirror-bodies-valid", body);

  const outcomes = new Map<string, number>();
  for (const call of h.api?.calls ?? []) {
    const m = /^\/runs\/([^/?]+)\/phases\/([^/?]+)\/(builder_result|auditor_result)$/.exec(call.path);
    if (!m || call.method !== "POST" || call.status < 200 || call.status >= 300) continue;
    const body = call.body as { builder_attempts?: number; auditor_attempts?: number };
    const attempt = m[3] === "builder_result" ? body.builder_attempts : body.auditor_attempts;
    const key = `${m[3]} of ${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)} attempt ${attempt}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
  for (const [key, n] of outcomes) if (n > 1) add("mirror-outcome-once", `${key} accepted ${n} times`);

  const statusComments = new Map<string, number[]>();
  for (const issue of h.sim.issues(OWNER, REPO)) {
    for (const comment of h.sim.comments(OWNER, REPO, issue.number)) {
      if (comment.user?.login !== h.sim.botLogin || !comment.body?.includes(STATUS_MARKER)) continue;
      const run = /Autopack run `([^`]+)`/.exec(comment.body)?.[1] ?? `(unnamed run on #${issue.number})`;
      statusComments.set(run, [...(statusComments.get(run) ?? []), comment.id]);
    }
  }
  for (const [run, ids] of statusComments)
    if (ids.length > 1) add("one-status-comment", `run ${run} has ${ids.length} status comments (${ids.join(", ")})`);
  for (const run of h.api?.runs.keys() ?? [])
    if (!statusComments.has(run)) add("one-status-comment", `run ${run} was mirrored but has no status comment`);

  const openByBranch = new Map<string, number[]>();
  for (const pull of h.sim.pulls(OWNER, REPO))
    if (pull.state === "open" && pull.head.ref.startsWith("autopack/"))
      openByBranch.set(pull.head.ref, [...(openByBranch.get(pull.head.ref) ?? []), pull.number]);
  for (const [branch, numbers] of openByBranch)
    if (numbers.length > 1) add("one-open-pr-per-branch", `${branch} has ${numbers.length} open pull requests (#${numbers.join(", #")})`);

  for (const req of h.sim.requests) {
    if (req.method !== "POST" || !/^\/repos\/[^/]+\/[^/]+\/pulls\/\d+\/reviews(\?|$)/.test(req.path)) continue;
    const commit = (req.body as { commit_id?: unknown } | undefined)?.commit_id;
    if (typeof commit !== "string" || commit === "") add("reviews-pinned", `${req.method} ${req.path} names no commit_id`);
  }

  // Everything the app wrote to GitHub but file contents (blobs and trees are the repository's own).
  const sent = [
    ...h.sim.requests
      .filter((r) => r.method !== "GET" && !/\/git\/(blobs|trees)(\/|\?|$)/.test(r.path))
      .map((r) => ["sent GitHub", r] as const),
    ...(h.api?.calls ?? []).map((c) => ["mirrored", c] as const),
  ];
  for (const [verb, { method, path, body }] of sent) {
    const problem = stringsIn(body)
      .map(secretProblem)
      .find((p) => p !== null);
    if (problem) add("no-secrets", `${method} ${path} ${verb} ${problem}`);
  }
  return out;
}

/** The run's state block: `<!-- autopack:state v1 <base64url(gzip(JSON))>.<mac> -->`. */
const STATE_BLOCK = /<!-- autopack:state \S+ ([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+ -->/g;

/** What is wrong with a text the app sent, if anything: a secret-shaped string, or a state block it cannot read to check. */
function secretProblem(text: string): string | null {
  // A state block is checked for the JSON it holds, never as it is: random base64url can look like a key by chance.
  const held: unknown[] = [];
  let unreadable = false;
  const rest = text.replace(STATE_BLOCK, (_, payload: string) => {
    try {
      held.push(JSON.parse(gunzipSync(Buffer.from(payload, "base64url")).toString("utf8")));
    } catch {
      unreadable = true;
    }
    return "";
  });
  if ([rest, ...held.flatMap(stringsIn)].some((s) => redactSecrets(s) !== s)) return "a secret-shaped string";
  return unreadable ? "a state block that could not be read to look for secrets" : null;
}

/** Every string in a JSON value (an escaped newline would hide a token's word boundary in its JSON text). */
function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}
