import { createHmac, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
let definitions;
/** A deep copy of the first captured example of that event (and action). */
function example(name, action) {
  definitions ??= createRequire(import.meta.url)("@octokit/webhooks-examples");
  const found = definitions.find((d) => d.name === name)?.examples.find((e) => action === undefined || e.action === action);
  if (!found) throw new Error(`webhooks: no example of ${name}${action ? `.${action}` : ""}`);
  return structuredClone(found);
}
const over = (base, top) => ({ ...base, ...top });
function fail(message) {
  throw new Error(`webhooks: ${message}`);
}
export function createEvents(sim) {
  const build = (name, action, where, sender, fields) => {
    const ex = example(name, action);
    delete ex.organization;
    delete ex.enterprise;
    const payload = {
      ...(action ? { action } : {}),
      ...ex,
      ...fields,
      repository: over(ex.repository, sim.repository(where.owner, where.repo)),
      sender: over(ex.sender, sim.user(sender)),
      installation: { id: sim.installationId, node_id: Buffer.from(`023:Installation${sim.installationId}`).toString("base64") },
    };
    return { name, payload: payload };
  };
  const issueOf = (w, n, ex, action) => over(example(ex, action).issue, sim.issue(w.owner, w.repo, n));
  const labelEvent = (action, p) => {
    const label = sim.label(p.owner, p.repo, p.label) ?? fail(`no label "${p.label}" in ${p.owner}/${p.repo}`);
    const on = sim.labels(p.owner, p.repo, p.issue).some((l) => l.toLowerCase() === p.label.toLowerCase());
    if (on !== (action === "labeled"))
      fail(`label "${p.label}" is ${on ? "still" : "not"} on #${p.issue}: ${action === "labeled" ? "add" : "remove"} it first`);
    return build("issues", action, p, p.sender, {
      issue: issueOf(p, p.issue, "issues", action),
      label: over(example("issues", action).label, label),
    });
  };
  const commentEvent = (action, p, extra) => {
    const comment = sim.comment(p.owner, p.repo, p.comment) ?? fail(`no comment ${p.comment} in ${p.owner}/${p.repo}`);
    const issue = Number(comment.issue_url.split("/").pop());
    return build("issue_comment", action, p, p.sender ?? comment.user.login, {
      issue: issueOf(p, issue, "issue_comment", action),
      comment: over(example("issue_comment", action).comment, comment),
      ...extra,
    });
  };
  const pullOf = (p, ex) => over(ex.pull_request, sim.pull(p.owner, p.repo, p.pull));
  const checkRunOf = (p, action) => {
    const run = sim.checkRun(p.owner, p.repo, p.checkRun) ?? fail(`no check run ${p.checkRun} in ${p.owner}/${p.repo}`);
    const ex = example("check_run", action).check_run;
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
      const after = pull.head.sha;
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
export async function deliverWebhook(url, name, payload, secret, deliveryId = randomUUID()) {
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
export function deliverEvent(url, event, secret, deliveryId) {
  return deliverWebhook(url, event.name, event.payload, secret, deliveryId);
}
//# sourceMappingURL=webhooks.js.map
