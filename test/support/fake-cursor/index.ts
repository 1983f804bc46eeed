import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { GitHubSim } from "../github-sim/index.js";

/**
 * A fake of Cursor's Cloud Agents API (v1) on loopback, shaped as Cursor documents it: agents with
 * runs, a caller-chosen `agentId` (a second launch with it answers 409), follow-up runs (409
 * `agent_busy` while one runs), HTTP Basic authentication with the key as user name, errors as
 * `{ "error", "message" }`. A run ends on the second time it is read; when it finishes, the agent
 * pushes its scripted files to the GitHub simulator the way the real agent pushes to GitHub: a commit
 * on the branch (or, for a new branch, on the starting point), the ref moved, and no Autopack seal.
 */

/** What one run does, in launch order: the first launch takes the first, the first follow-up the next, … */
export type RunScript =
  | { finish: Record<string, string | null>; summary?: string; tokens?: number }
  | { error: string; push?: Record<string, string | null> }
  | { expire: true }
  /** Never ends on its own (a run cancelled by the app ends CANCELLED). */
  | { hang: true };

export interface FakeCursorFault {
  method?: string;
  path?: RegExp;
  status: number;
  body?: object;
  retryAfter?: string;
  /** How many requests it answers (default 1). */
  times?: number;
}

interface FakeRun {
  id: string;
  agentId: string;
  status: string;
  result: string | null;
  createdAt: string;
  reads: number;
  script: RunScript | null;
  prompt: string;
}

interface FakeAgent {
  id: string;
  owner: string;
  repo: string;
  branchName: string;
  startingRef: string;
  runs: FakeRun[];
  createdAt: string;
}

export interface FakeCursor {
  url: string;
  apiKey: string;
  /** Every `POST /v1/agents` body, accepted or not. */
  launches: Array<Record<string, unknown>>;
  /** Agents created, by id. */
  agents: Map<string, FakeAgent>;
  /** Every follow-up prompt sent, with the answer's status. */
  followUps: Array<{ agentId: string; prompt: string; status: number }>;
  /** Every request: method, path and whether it carried the right key. */
  requests: Array<{ method: string; path: string; status: number }>;
  /** Queues what the next runs do. */
  script(...runs: RunScript[]): void;
  /** Makes matching requests fail. */
  fault(spec: FakeCursorFault): void;
  /** The next `n` launches create their agent, but their answer is lost: a 502 comes back instead. */
  loseLaunchAnswers(n: number): void;
  /** Repositories (`owner/repo`) not connected to Cursor: launching on them is refused. */
  disconnect(repository: string): void;
  close(): Promise<void>;
}

const FINAL = new Set(["FINISHED", "ERROR", "CANCELLED", "EXPIRED"]);

export async function startFakeCursor(sim: GitHubSim, apiKey = "cursor-test-key"): Promise<FakeCursor> {
  const scripts: RunScript[] = [];
  const faults: Array<FakeCursorFault & { left: number }> = [];
  const disconnected = new Set<string>();
  let lostAnswers = 0;
  const agents = new Map<string, FakeAgent>();
  const launches: FakeCursor["launches"] = [];
  const followUps: FakeCursor["followUps"] = [];
  const requests: FakeCursor["requests"] = [];
  const expected = `Basic ${Buffer.from(`${apiKey}:`).toString("base64")}`;

  const newRun = (agent: FakeAgent, prompt: string): FakeRun => {
    const run: FakeRun = {
      id: `run-${randomUUID()}`,
      agentId: agent.id,
      status: "CREATING",
      result: null,
      createdAt: new Date().toISOString(),
      reads: 0,
      script: scripts.shift() ?? null,
      prompt,
    };
    agent.runs.push(run);
    return run;
  };
  const push = (agent: FakeAgent, files: Record<string, string | null>, message: string) =>
    sim.pushCommit(agent.owner, agent.repo, agent.branchName, files, "cursor-agent", message);
  /** A run moves on each time it is read: CREATING, RUNNING, then its scripted end. */
  const advance = (agent: FakeAgent, run: FakeRun) => {
    if (FINAL.has(run.status)) return;
    run.reads += 1;
    if (run.reads === 1) run.status = "RUNNING";
    if (run.reads < 2) return;
    const script = run.script;
    if (script === null) {
      run.status = "ERROR";
      run.result = "the fake Cursor API has no script for this run";
    } else if ("finish" in script) {
      push(agent, script.finish, script.summary ?? "Cursor agent changes");
      run.status = "FINISHED";
      run.result = script.summary ?? "Done.";
    } else if ("error" in script) {
      if (script.push) push(agent, script.push, "Cursor agent changes (partial)");
      run.status = "ERROR";
      run.result = script.error;
    } else if ("expire" in script) {
      run.status = "EXPIRED";
    }
  };
  const runJson = (run: FakeRun) => ({
    id: run.id,
    agentId: run.agentId,
    status: run.status,
    result: run.result,
    createdAt: run.createdAt,
    updatedAt: new Date().toISOString(),
  });
  const agentJson = (agent: FakeAgent) => ({
    id: agent.id,
    name: `Autopack ${agent.branchName}`,
    status: "ACTIVE",
    repos: [{ url: `https://github.com/${agent.owner}/${agent.repo}`, startingRef: agent.startingRef }],
    branchName: agent.branchName,
    latestRunId: agent.runs.at(-1)?.id ?? null,
    createdAt: agent.createdAt,
  });

  const handle = async (req: IncomingMessage, res: ServerResponse, body: unknown) => {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname;
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      requests.push({ method, path, status });
      res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(json));
    };
    if (req.headers.authorization !== expected) return send(401, { error: "unauthorized", message: "Invalid API key" });
    const fault = faults.find((f) => f.left > 0 && (f.method ?? method) === method && (f.path ?? /./).test(path));
    if (fault) {
      fault.left -= 1;
      return send(
        fault.status,
        fault.body ?? { error: "fault", message: "injected" },
        fault.retryAfter ? { "retry-after": fault.retryAfter } : {},
      );
    }
    const b = (body ?? {}) as Record<string, unknown>;
    let m: RegExpExecArray | null;
    if (method === "POST" && path === "/v1/agents") {
      launches.push(b);
      const agentId = typeof b["agentId"] === "string" ? b["agentId"] : `bc-${randomUUID()}`;
      if (agents.has(agentId)) return send(409, { error: "agent_already_exists", message: `An agent with id ${agentId} already exists` });
      const repoUrl = (b["repos"] as Array<{ url?: string; startingRef?: string }> | undefined)?.[0];
      const prompt = (b["prompt"] as { text?: string } | undefined)?.text;
      const parts = /([^/]+)\/([^/]+?)\/?$/.exec(repoUrl?.url ?? "");
      if (!parts || typeof prompt !== "string" || typeof b["branchName"] !== "string")
        return send(400, { error: "invalid_request", message: "prompt.text, repos[0].url and branchName are required" });
      const [, owner, repo] = parts as unknown as [string, string, string];
      if (disconnected.has(`${owner}/${repo}`))
        return send(403, {
          error: "repository_not_accessible",
          message: `The repository ${owner}/${repo} is not connected to Cursor's GitHub integration`,
        });
      const agent: FakeAgent = {
        id: agentId,
        owner,
        repo,
        branchName: b["branchName"],
        startingRef: repoUrl?.startingRef ?? "main",
        runs: [],
        createdAt: new Date().toISOString(),
      };
      agents.set(agentId, agent);
      const run = newRun(agent, prompt);
      if (lostAnswers > 0) {
        lostAnswers -= 1;
        return send(502, { error: "bad_gateway", message: "upstream connection reset" });
      }
      return send(201, { agent: agentJson(agent), run: runJson(run) });
    }
    if ((m = /^\/v1\/agents\/([^/]+)$/.exec(path)) && method === "GET") {
      const agent = agents.get(decodeURIComponent(m[1]!));
      return agent ? send(200, agentJson(agent)) : send(404, { error: "not_found", message: "Agent not found" });
    }
    if ((m = /^\/v1\/agents\/([^/]+)\/runs$/.exec(path)) && method === "POST") {
      const agentId = decodeURIComponent(m[1]!);
      const agent = agents.get(agentId);
      const prompt = (b["prompt"] as { text?: string } | undefined)?.text ?? "";
      if (!agent) return send(404, { error: "not_found", message: "Agent not found" });
      if (agent.runs.some((r) => !FINAL.has(r.status))) {
        followUps.push({ agentId, prompt, status: 409 });
        return send(409, { error: "agent_busy", message: "The agent already has an active run" });
      }
      followUps.push({ agentId, prompt, status: 201 });
      return send(201, { run: runJson(newRun(agent, prompt)) });
    }
    if ((m = /^\/v1\/agents\/([^/]+)\/runs\/([^/]+)(\/cancel)?$/.exec(path))) {
      const agent = agents.get(decodeURIComponent(m[1]!));
      const run = agent?.runs.find((r) => r.id === decodeURIComponent(m![2]!));
      if (!agent || !run) return send(404, { error: "not_found", message: "Run not found" });
      if (m[3] && method === "POST") {
        if (!FINAL.has(run.status)) run.status = "CANCELLED";
        return send(200, { id: run.id });
      }
      if (method === "GET" && !m[3]) {
        if (run.script === null || !("hang" in run.script)) advance(agent, run);
        else if (run.status === "CREATING") run.status = "RUNNING";
        return send(200, runJson(run));
      }
    }
    if ((m = /^\/v1\/agents\/([^/]+)\/usage$/.exec(path)) && method === "GET") {
      const agent = agents.get(decodeURIComponent(m[1]!));
      if (!agent) return send(404, { error: "not_found", message: "Agent not found" });
      const runs = agent.runs.filter((r) => !url.searchParams.get("runId") || r.id === url.searchParams.get("runId"));
      return send(200, {
        runs: runs.map((r) => {
          const tokens = r.script && "finish" in r.script ? (r.script.tokens ?? 0) : 0;
          return {
            runId: r.id,
            usage: { inputTokens: tokens, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, totalTokens: tokens },
          };
        }),
      });
    }
    return send(404, { error: "not_found", message: `No route ${method} ${path}` });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = undefined;
      try {
        body = text === "" ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      handle(req, res, body).catch((error: unknown) => {
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: "internal", message: String(error) }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiKey,
    launches,
    agents,
    followUps,
    requests,
    script: (...runs) => scripts.push(...runs),
    fault: (spec) => faults.push({ ...spec, left: spec.times ?? 1 }),
    loseLaunchAnswers: (n) => {
      lostAnswers = n;
    },
    disconnect: (repository) => disconnected.add(repository),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
