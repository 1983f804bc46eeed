import { createHmac, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import type {
  CheckRunCompletedEvent,
  CheckRunRerequestedEvent,
  CheckSuiteCompletedEvent,
  IssueCommentCreatedEvent,
  IssueCommentEditedEvent,
  IssuesEditedEvent,
  IssuesLabeledEvent,
  IssuesUnlabeledEvent,
  PullRequestClosedEvent,
  PullRequestReviewSubmittedEvent,
  PullRequestSynchronizeEvent,
  StatusEvent,
} from "@octokit/webhooks-types";
import type { GitHubSim } from "./github-sim/index.js";

/** A webhook as GitHub sends it: the `X-GitHub-Event` name and the JSON payload. */
export interface WebhookEvent<P = Record<string, unknown>> {
  name: string;
  payload: P;
}

interface Where {
  owner: string;
  repo: string;
}

/** Payload builders: a real captured example, overwritten with the simulator's current state. */
export interface SimEvents {
  issueLabeled(p: Where & { issue: number; label: string; sender: string }): WebhookEvent<IssuesLabeledEvent>;
  issueUnlabeled(p: Where & { issue: number; label: string; sender: string }): WebhookEvent<IssuesUnlabeledEvent>;
  issueEdited(
    p: Where & { issue: number; sender: string; changes?: { title?: { from: string }; body?: { from: string } } },
  ): WebhookEvent<IssuesEditedEvent>;
  issueCommentCreated(p: Where & { comment: number; sender?: string }): WebhookEvent<IssueCommentCreatedEvent>;
  issueCommentEdited(
    p: Where & { comment: number; sender?: string; changes?: { body: { from: string } } },
  ): WebhookEvent<IssueCommentEditedEvent>;
  pullRequestClosed(p: Where & { pull: number; sender: string }): WebhookEvent<PullRequestClosedEvent>;
  pullRequestSynchronize(p: Where & { pull: number; before: string; sender: string }): WebhookEvent<PullRequestSynchronizeEvent>;
  pullRequestReviewSubmitted(p: Where & { pull: number; review: number; sender?: string }): WebhookEvent<PullRequestReviewSubmittedEvent>;
  checkRunRerequested(p: Where & { checkRun: number; sender: string }): WebhookEvent<CheckRunRerequestedEvent>;
  checkRunCompleted(p: Where & { checkRun: number; sender?: string }): WebhookEvent<CheckRunCompletedEvent>;
  /** The suite of app `app` (slug; default "github-actions", the repository's CI) on `sha`. */
  checkSuiteCompleted(p: Where & { sha: string; app?: string; sender?: string }): WebhookEvent<CheckSuiteCompletedEvent>;
  /** The latest commit status of `context` on `sha`. */
  status(p: Where & { sha: string; context: string; sender?: string }): WebhookEvent<StatusEvent>;
}

type Obj = Record<string, unknown>;
let definitions: { name: string; examples: Obj[] }[] | undefined;

/** A deep copy of the first captured example of that event (and action). */
function example(name: string, action?: string): Obj {
  definitions ??= createRequire(import.meta.url)("@octokit/webhooks-examples") as { name: string; examples: Obj[] }[];
  const found = definitions.find((d) => d.name === name)?.examples.find((e) => action === undefined || e.action === action);
  if (!found) throw new Error(`webhooks: no example of ${name}${action ? `.${action}` : ""}`);
  return structuredClone(found);
}

const over = (base: unknown, top: object): Obj => ({ ...(base as Obj), ...top });

function fail(message: string): never {
  throw new Error(`webhooks: ${message}`);
}

export function createEvents(sim: GitHubSim): SimEvents {
  const build = <P>(name: string, action: string | undefined, where: Where, sender: string, fields: Obj): WebhookEvent<P> => {
    const ex = example(name, action);
    delete ex.organization;
    delete ex.enterprise;
    const installation = sim.installationFor(where.owner);
    const payload = {
      ...(action ? { action } : {}),
      ...ex,
      ...fields,
      repository: over(ex.repository, sim.repository(where.owner, where.repo)),
      sender: over(ex.sender, sim.user(sender)),
      installation: { id: installation, node_id: Buffer.from(`023:Installation${installation}`).toString("base64") },
    };
    return { name, payload: payload as P };
  };
  const issueOf = (w: Where, n: number, ex: string, action: string) => over(example(ex, action).issue, sim.issue(w.owner, w.repo, n));
  const labelEvent = <P>(action: "labeled" | "unlabeled", p: Where & { issue: number; label: string; sender: string }) => {
    const label = sim.label(p.owner, p.repo, p.label) ?? fail(`no label "${p.label}" in ${p.owner}/${p.repo}`);
    const on = sim.labels(p.owner, p.repo, p.issue).some((l) => l.toLowerCase() === p.label.toLowerCase());
    if (on !== (action === "labeled"))
      fail(`label "${p.label}" is ${on ? "still" : "not"} on #${p.issue}: ${action === "labeled" ? "add" : "remove"} it first`);
    return build<P>("issues", action, p, p.sender, {
      issue: issueOf(p, p.issue, "issues", action),
      label: over(example("issues", action).label, label),
    });
  };
  const commentEvent = <P>(action: "created" | "edited", p: Where & { comment: number; sender?: string }, extra: Obj) => {
    const comment = sim.comment(p.owner, p.repo, p.comment) ?? fail(`no comment ${p.comment} in ${p.owner}/${p.repo}`);
    const issue = Number(comment.issue_url.split("/").pop());
    return build<P>("issue_comment", action, p, p.sender ?? comment.user.login, {
      issue: issueOf(p, issue, "issue_comment", action),
      comment: over(example("issue_comment", action).comment, comment),
      ...extra,
    });
  };
  const pullOf = (p: Where & { pull: number }, ex: Obj) => over(ex.pull_request, sim.pull(p.owner, p.repo, p.pull));
  const checkRunOf = (p: Where & { checkRun: number }, action: string) => {
    const run = sim.checkRun(p.owner, p.repo, p.checkRun) ?? fail(`no check run ${p.checkRun} in ${p.owner}/${p.repo}`);
    const ex = example("check_run", action).check_run as Obj;
    const suite = sim.checkSuites(p.owner, p.repo, run.head_sha).find((x) => x.id === run.check_suite.id);
    return over(ex, { ...run, check_suite: over(ex.check_suite, suite ?? run.check_suite) });
  };
  return {
    issueLabeled: (p) => labelEvent("labeled", p),
    issueUnlabeled: (p) => labelEvent("unlabeled", p),
    issueEdited: (p) =>
      build("issues", "edited", p, p.sender, { issue: issueOf(p, p.issue, "issues", "edited"), changes: p.changes ?? {} }),
    issueCommentCreated: (p) => commentEvent("created", p, {}),
    issueCommentEdited: (p) => commentEvent("edited", p, { changes: p.changes ?? {} }),
    pullRequestClosed: (p) => {
      const ex = example("pull_request", "closed");
      const pull = pullOf(p, ex);
      if (pull.state !== "closed") fail(`#${p.pull} is open: merge or close it first`);
      return build("pull_request", "closed", p, p.sender, { number: p.pull, pull_request: pull });
    },
    pullRequestSynchronize: (p) => {
      const pull = pullOf(p, example("pull_request", "synchronize"));
      const after = (pull.head as { sha: string }).sha;
      return build("pull_request", "synchronize", p, p.sender, { number: p.pull, before: p.before, after, pull_request: pull });
    },
    pullRequestReviewSubmitted: (p) => {
      const ex = example("pull_request_review", "submitted");
      const review = sim.reviews(p.owner, p.repo, p.pull).find((r) => r.id === p.review) ?? fail(`no review ${p.review} on #${p.pull}`);
      return build("pull_request_review", "submitted", p, p.sender ?? review.user.login, {
        review: over(ex.review, { ...review, state: review.state.toLowerCase() }),
        pull_request: pullOf(p, ex),
      });
    },
    checkRunRerequested: (p) => build("check_run", "rerequested", p, p.sender, { check_run: checkRunOf(p, "rerequested") }),
    checkRunCompleted: (p) => build("check_run", "completed", p, p.sender ?? p.owner, { check_run: checkRunOf(p, "completed") }),
    checkSuiteCompleted: (p) => {
      const slug = p.app ?? "github-actions";
      const suite =
        sim.checkSuites(p.owner, p.repo, p.sha).find((x) => x.app.slug === slug) ?? fail(`no check suite of ${slug} on ${p.sha}`);
      const ex = example("check_suite", "completed");
      return build("check_suite", "completed", p, p.sender ?? p.owner, { check_suite: over(ex.check_suite, suite) });
    },
    status: (p) => {
      const status =
        sim.statuses(p.owner, p.repo, p.sha).findLast((x) => x.context === p.context) ?? fail(`no status "${p.context}" on ${p.sha}`);
      const { files: _files, stats: _stats, ...commit } = sim.repoCommit(p.owner, p.repo, p.sha) ?? fail(`no commit ${p.sha}`);
      const branches = Object.entries(sim.branches(p.owner, p.repo))
        .filter(([, sha]) => sha === commit.sha)
        .map(([name, sha]) => ({ name, commit: { sha, url: commit.url }, protected: false }));
      return build("status", undefined, p, p.sender ?? status.creator.login, {
        id: status.id,
        sha: commit.sha,
        name: `${p.owner}/${p.repo}`,
        target_url: status.target_url,
        context: status.context,
        description: status.description,
        state: status.state,
        commit,
        branches,
        created_at: status.created_at,
        updated_at: status.updated_at,
      });
    },
  };
}

/** POSTs a webhook the way GitHub does: event, delivery id, and the HMAC signature of the exact body. */
export async function deliverWebhook(
  url: string,
  name: string,
  payload: object,
  secret: string,
  deliveryId: string = randomUUID(),
): Promise<{ status: number; body: string }> {
  const body = JSON.stringify(payload);
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/github-sim",
      "x-github-event": name,
      "x-github-delivery": deliveryId,
      "x-github-hook-id": "1",
      "x-github-hook-installation-target-type": "integration",
      "x-hub-signature": `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`,
      "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}

/** `deliverWebhook` for an event a builder made. */
export function deliverEvent(
  url: string,
  event: WebhookEvent<object>,
  secret: string,
  deliveryId?: string,
): Promise<{ status: number; body: string }> {
  return deliverWebhook(url, event.name, event.payload, secret, deliveryId);
}

/**
 * POSTs `totalBytes` of JSON-looking body in chunks (no `content-length`: chunked transfer encoding),
 * or with a declared `contentLength`, and stops sending as soon as an answer arrives. Says the answer's
 * status (null if the connection closed without one) and how many bytes were sent by then.
 */
export async function postLarge(
  url: string,
  totalBytes: number,
  options: { contentLength?: number; headers?: Record<string, string> } = {},
): Promise<{ status: number | null; sent: number }> {
  const { request } = await import("node:http");
  return new Promise((resolve) => {
    let sent = 0;
    let status: number | null = null;
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      resolve({ status, sent });
    };
    const req = request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "issues",
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
        ...(options.contentLength !== undefined ? { "content-length": String(options.contentLength) } : {}),
        ...options.headers,
      },
    });
    req.on("response", (res) => {
      status = res.statusCode ?? null;
      res.resume();
      res.on("end", done);
      res.on("error", done);
    });
    req.on("error", () => setTimeout(done, 50));
    req.on("close", () => setTimeout(done, 50));
    const chunk = Buffer.alloc(64 * 1024, "a");
    const write = () => {
      while (sent < totalBytes && status === null) {
        const piece = chunk.subarray(0, Math.min(chunk.length, totalBytes - sent));
        sent += piece.length;
        if (!req.write(piece)) {
          req.once("drain", write);
          return;
        }
      }
      if (status === null && sent >= totalBytes) req.end();
    };
    req.write('{"padding":"');
    write();
  });
}
