/**
 * A webhook server for the ack benchmark, in its own process: `app` is Autopack as the harness runs
 * it (Probot's middleware, its handlers, the in-process queue; GitHub and the model are simulators),
 * `bare` a Probot app with a no-op handler. Prints `READY <url>` once it listens; the `app` server
 * also writes the signed delivery's payload to the path given.
 */
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot } from "probot";
import pino from "pino";
import { startHarness, WEBHOOK_SECRET } from "../../test/support/harness.js";
import { startGitHubSim } from "../../test/support/github-sim/index.js";

const [mode, payloadPath] = process.argv.slice(2);

async function app(): Promise<string> {
  const h = await startHarness({ mirror: false });
  h.sim.addRepo({ owner: "acme", name: "widgets", files: { "README.md": "# widgets\n" } });
  const issue = h.sim.addIssue("acme", "widgets", { title: "Plan", body: "x", user: "maintainer" });
  const comment = h.sim.addComment("acme", "widgets", issue, { body: "/autopack status", user: "passer-by" });
  const event = h.sim.events.issueCommentCreated({ owner: "acme", repo: "widgets", comment });
  // A command from someone without write access (GitHub says so in the payload): queued, answered once, then free.
  (event.payload as unknown as { comment: { author_association: string } }).comment.author_association = "NONE";
  writeFileSync(payloadPath!, JSON.stringify({ name: event.name, payload: event.payload }));
  return h.webhookUrl;
}

async function bare(): Promise<string> {
  const sim = await startGitHubSim();
  const probot = new Probot({ appId: sim.appId, privateKey: sim.privateKey, secret: WEBHOOK_SECRET, log: pino({ level: "silent" }) });
  const middleware = await createNodeMiddleware(
    (a) => {
      a.on("issue_comment.created", async () => {});
    },
    { probot },
  );
  const server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
}

const url = mode === "app" ? await app() : await bare();
process.stdout.write(`READY ${url}\n`);
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));
