import type { Probot } from "probot";
import type { z } from "zod";
import { parsePhaseBranch } from "../github/branches.js";
import { AUDIT_CHECK_NAME } from "../github/door.js";
import { issueQueueKey, reconcileTag, type AppQueue, type IssueKey, type Job } from "../supervisor/jobs.js";
import { cannotSteerByAssociation } from "../policy/association.js";
import { isBot } from "../policy/permissions.js";
import { parseCommand } from "../supervisor/commands.js";
import { newlyTicked } from "../supervisor/control-panel.js";
import type { Refusals } from "../supervisor/refusals.js";
import { STATUS_MARKER } from "../supervisor/status-comment.js";
import {
  checkedHere,
  CheckRunPayload,
  CheckSuitePayload,
  CommentEditedPayload,
  CommentPayload,
  headElsewhere,
  LabeledPayload,
  PullRequestPayload,
  ReviewPayload,
  StatusPayload,
} from "./webhook-fields.js";

type Log = Probot["log"];

/** What the handlers may ask of the worker's refusals: whether someone refused has had their reply already. */
export type AnsweredRefusals = Pick<Refusals, "settled">;

/** Whether a comment cannot hold a command, read off the raw payload before it is validated. */
function withoutCommand(payload: unknown): boolean {
  const body = (payload as { comment?: { body?: unknown } | null } | null)?.comment?.body;
  return typeof body === "string" && !body.includes("/autopack");
}

/**
 * Webhooks are hints, not commands: each handler checks the fields it relies on, drops what bots
 * send, and queues a job keyed by the run's issue. The answer goes back to GitHub at once (Probot
 * answers once the handlers return, so they only read and queue); the worker checks permissions and
 * does the work. `refusals` are the worker's: a command from someone refused who has had their reply
 * is dropped here, as the worker would drop it.
 */
export function registerHandlers(app: Probot, queue: AppQueue, appId: number, refusals: AnsweredRefusals): void {
  const log = app.log;

  function parse<S extends z.ZodType>(schema: S, payload: unknown, event: string): z.infer<S> | null {
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      log.warn(
        { event, issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`) },
        "webhook ignored: missing fields",
      );
      return null;
    }
    return parsed.data;
  }

  function target(p: { installation: { id: number }; repository: { name: string; owner: { login: string } } }, issue: number): IssueKey {
    return { installationId: p.installation.id, owner: p.repository.owner.login, repo: p.repository.name, issue };
  }

  async function enqueue(id: string, job: Job): Promise<void> {
    await queue.enqueue({ id, key: issueQueueKey(job.target), job });
  }

  function ignoreBot(sender: { login: string; type?: string | undefined }, event: string, l: Log = log): boolean {
    if (!isBot(sender)) return false;
    l.debug({ event, sender: sender.login }, "event from a bot ignored");
    return true;
  }

  app.on("issues.labeled", async (context) => {
    const p = parse(LabeledPayload, context.payload, "issues.labeled");
    if (!p || ignoreBot(p.sender, "issues.labeled") || p.issue.pull_request) return;
    await enqueue(context.id, {
      kind: "intent",
      target: target(p, p.issue.number),
      intent: { type: "start", sender: p.sender.login, label: p.label.name, body: p.issue.body ?? "" },
    });
  });

  app.on("issue_comment.created", async (context) => {
    // A comment without a command costs nothing: most comments are conversation, dropped before
    // anything else is read (a payload that is not GitHub's goes on, to be reported).
    if (withoutCommand(context.payload)) return;
    const p = parse(CommentPayload, context.payload, "issue_comment.created");
    if (!p || ignoreBot(p.sender, "issue_comment.created")) return;
    const outsider = cannotSteerByAssociation(p.comment.author_association, p.repository.owner.type);
    const where = target(p, p.issue.number);
    // Someone without write access who has had their one reply on this issue: a flood of their
    // comments queues nothing, and is not even parsed (the worker would drop each one, unread).
    const sender = p.sender.login;
    if (refusals.settled(where, sender, outsider)) return;
    // (A body without `/autopack` was dropped above, before validation.)
    const body = p.comment.body ?? "";
    if (parseCommand(body) === null) return;
    const onPullRequest = p.issue.pull_request ? p.issue.number : null;
    await enqueue(context.id, {
      kind: "intent",
      target: where,
      intent: {
        type: "command",
        sender: p.sender.login,
        commentId: p.comment.id,
        body,
        onPullRequest,
        phaseId: null,
        ...(outsider ? { outsider } : {}),
      },
    });
  });

  // A box ticked in a status comment's control panel. Only the app's status comments have a panel,
  // and the app renders its boxes unticked, so its own edits (and every other edit) stop here. A bot's
  // tick goes on, to be undone by the worker.
  app.on("issue_comment.edited", async (context) => {
    const p = parse(CommentEditedPayload, context.payload, "issue_comment.edited");
    const body = p?.comment.body ?? "";
    if (!p || p.issue.pull_request || !body.includes(STATUS_MARKER)) return;
    const from = p.changes?.body?.from ?? null;
    if (newlyTicked(from, body).length === 0) return;
    await enqueue(context.id, {
      kind: "intent",
      target: target(p, p.issue.number),
      intent: { type: "tick", sender: p.sender.login, commentId: p.comment.id, body, from },
    });
  });

  app.on("pull_request_review.submitted", async (context) => {
    const p = parse(ReviewPayload, context.payload, "pull_request_review.submitted");
    if (!p || ignoreBot(p.sender, "pull_request_review.submitted")) return;
    const branch = parsePhaseBranch(p.pull_request.head.ref);
    if (!branch || p.review.state.toLowerCase() !== "changes_requested" || headElsewhere(p.pull_request)) return;
    await enqueue(context.id, {
      kind: "intent",
      target: target(p, branch.issue),
      intent: {
        type: "review",
        sender: p.sender.login,
        pullNumber: p.pull_request.number,
        phaseId: branch.phaseId,
        reviewId: p.review.id,
        state: p.review.state,
        body: p.review.body ?? "",
      },
    });
  });

  app.on("check_run.rerequested", async (context) => {
    const p = parse(CheckRunPayload, context.payload, "check_run.rerequested");
    if (!p || ignoreBot(p.sender, "check_run.rerequested")) return;
    if (p.check_run.name !== AUDIT_CHECK_NAME || p.check_run.app?.id !== appId) return;
    const branch = parsePhaseBranch(p.check_run.check_suite?.head_branch);
    if (!branch) return;
    await enqueue(context.id, {
      kind: "intent",
      target: target(p, branch.issue),
      intent: { type: "rerun-audit", sender: p.sender.login, phaseId: branch.phaseId, headSha: p.check_run.head_sha },
    });
  });

  // The repository's own CI finished, or a person merged, closed or pushed: look again. Events about
  // heads in other repositories (forks, whatever their branch is called) are dropped here: they could
  // make anyone spend the installation's requests on reconciles. Reconciles of one issue that wait
  // in the queue are one (`coalesce`).
  const reconcileBranch = async (
    id: string,
    p: { installation: { id: number }; repository: { name: string; owner: { login: string } } },
    ref: string | null | undefined,
    reason: string,
    merged?: { pr: number; headSha: string },
  ) => {
    const branch = parsePhaseBranch(ref);
    if (!branch) return;
    const job: Job = { kind: "reconcile", target: target(p, branch.issue), reason, ...(merged ? { merged } : {}) };
    await queue.enqueue({ id, key: issueQueueKey(job.target), job, coalesce: reconcileTag(job.target) });
  };
  app.on(["check_suite.completed"], async (context) => {
    const p = parse(CheckSuitePayload, context.payload, context.name);
    if (p && checkedHere(p.check_suite.pull_requests, p.check_suite.head_branch))
      await reconcileBranch(context.id, p, p.check_suite.head_branch, "check suite completed");
  });
  app.on("check_run.completed", async (context) => {
    const p = parse(CheckRunPayload, context.payload, "check_run.completed");
    const branch = p?.check_run.check_suite?.head_branch;
    if (p && p.check_run.name !== AUDIT_CHECK_NAME && checkedHere(p.check_run.pull_requests, branch))
      await reconcileBranch(context.id, p, branch, "check run completed");
  });
  app.on("status", async (context) => {
    const p = parse(StatusPayload, context.payload, "status");
    if (!p) return;
    for (const [i, b] of p.branches.entries()) await reconcileBranch(`${context.id}:${i}`, p, b.name, "commit status");
  });
  app.on(["pull_request.closed", "pull_request.synchronize", "pull_request.reopened"], async (context) => {
    const p = parse(PullRequestPayload, context.payload, context.name);
    if (!p || (context.payload.action === "synchronize" && isBot(p.sender)) || headElsewhere(p.pull_request)) return;
    // A merged PR is final: what the webhook says of it is taken as read (its state and head).
    const pr = p.pull_request;
    const merged = context.payload.action === "closed" && pr.merged === true ? { pr: pr.number, headSha: pr.head.sha } : undefined;
    await reconcileBranch(context.id, p, pr.head.ref, `pull request ${context.payload.action}`, merged);
  });
}
