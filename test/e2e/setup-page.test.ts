import { generateKeyPairSync } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseEnv } from "node:util";
import type { Browser } from "playwright-core";
import { parse as parseYaml } from "yaml";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startApp, until, type AppProcess } from "../support/app-process.js";
import { isLoopback, launchBrowser } from "../support/browser.js";

const root = resolve(import.meta.dirname, "..", "..");
const manifestFile = parseYaml(readFileSync(join(root, "app.yml"), "utf8")) as Record<string, unknown>;

/** A fresh clone's root as the app sees it when started there: app.yml and package.json, no .env. */
function freshClone(): string {
  const dir = mkdtempSync(join(tmpdir(), "autopack-clone-"));
  for (const file of ["app.yml", "package.json"]) copyFileSync(join(root, file), join(dir, file));
  return dir;
}

/** An empty environment but for PATH; smee.io is not asked for a channel (nothing leaves loopback). */
const EMPTY = { PATH: process.env["PATH"] ?? "", NO_SMEE_SETUP: "true", HOST: "127.0.0.1" };

let browser: Browser;
const apps: AppProcess[] = [];
beforeAll(async () => {
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});
afterEach(() => {
  for (const app of apps.splice(0)) app.child.kill("SIGTERM");
});

describe("the first start: Probot's setup page", () => {
  it("with an empty environment, serves the page whose form posts app.yml's manifest to GitHub", async () => {
    const app = await startApp(EMPTY, { cwd: freshClone() });
    apps.push(app);
    expect(app.output()).toContain("Autopack has no GitHub App yet");
    const context = await browser.newContext();
    const posted: string[] = [];
    // Only loopback is reached; GitHub's form endpoint is answered here, with what the form sent kept.
    await context.route("**/*", async (route) => {
      const request = route.request();
      if (isLoopback(request.url())) return route.continue();
      if (request.method() === "POST" && request.url() === "https://github.com/settings/apps/new") {
        posted.push(request.postData() ?? "");
        return route.fulfill({ status: 200, contentType: "text/html", body: "<title>GitHub</title>" });
      }
      return route.abort();
    });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${app.port}/`);
    expect(new URL(page.url()).pathname).toBe("/probot");
    expect(await page.title()).toContain("Setup autopack");
    const button = page.getByRole("button", { name: "Register GitHub App" });
    expect(await button.isVisible()).toBe(true);
    expect(await page.locator("form").getAttribute("action")).toBe("https://github.com/settings/apps/new");

    const [popup] = await Promise.all([context.waitForEvent("page"), button.click()]);
    await popup.waitForLoadState();
    await until("the form's post", () => posted[0]);
    const manifest = JSON.parse(new URLSearchParams(posted[0]).get("manifest")!) as Record<string, unknown>;
    expect(manifest["default_permissions"]).toEqual(manifestFile["default_permissions"]);
    expect(manifest["default_events"]).toEqual(manifestFile["default_events"]);
    expect(manifest["name"]).toBe("Autopack");
    expect(manifest["public"]).toBe(false);
    // GitHub sends the browser back here with a code; webhooks go to this server (or the smee channel).
    expect(manifest["redirect_url"]).toBe(`http://127.0.0.1:${app.port}/probot/setup`);
    expect(manifest["hook_attributes"]).toEqual({ url: `http://127.0.0.1:${app.port}/` });
    await context.close();
  }, 120_000);

  it("registers the app through GitHub's manifest flow, writes .env, and the next start runs the app", async () => {
    const github = await startFakeGitHub();
    try {
      const cwd = freshClone();
      const env = { ...EMPTY, GHE_HOST: `127.0.0.1:${github.port}`, GHE_PROTOCOL: "http" };
      const setup = await startApp(env, { cwd });
      apps.push(setup);
      const context = await browser.newContext();
      await context.route("**/*", (route) => (isLoopback(route.request().url()) ? route.continue() : route.abort()));
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${setup.port}/`);
      const [popup] = await Promise.all([context.waitForEvent("page"), page.getByRole("button", { name: "Register GitHub App" }).click()]);
      // GitHub (here, on loopback) creates the app and sends the browser back; Probot trades the code
      // for the app's credentials and sends the browser on to install the app.
      await popup.waitForURL(/\/apps\/autopack-test\/installations\/new$/, { timeout: 60_000 });
      await context.close();
      expect(github.manifests).toHaveLength(1);
      expect(github.manifests[0]!["default_events"]).toEqual(manifestFile["default_events"]);

      const written = parseEnv(readFileSync(join(cwd, ".env"), "utf8"));
      expect(written["APP_ID"]).toBe("4242");
      expect(written["WEBHOOK_SECRET"]).toBe("secret-from-github");
      expect(written["PRIVATE_KEY"]).toContain("-----BEGIN PRIVATE KEY-----");

      // Started again with the same (empty) environment, the app reads .env and runs for real.
      setup.child.kill("SIGTERM");
      await until("the setup page to stop", () => (setup.child.exitCode !== null || setup.child.signalCode !== null ? true : undefined));
      const running = await startApp(env, { cwd });
      apps.push(running);
      expect(running.output()).not.toContain("Autopack has no GitHub App yet");
      const health = await fetch(`http://127.0.0.1:${running.port}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      await github.close();
    }
  }, 180_000);
});

interface FakeGitHub {
  port: number;
  /** The manifests the form posted. */
  manifests: Record<string, unknown>[];
  close(): Promise<void>;
}

/** The three pages of GitHub's manifest flow, on loopback: the form's target, the code exchange, the install page. */
async function startFakeGitHub(): Promise<FakeGitHub> {
  const manifests: Record<string, unknown>[] = [];
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  let base = "";
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/settings/apps/new") {
        const manifest = JSON.parse(new URLSearchParams(body).get("manifest") ?? "{}") as Record<string, unknown>;
        manifests.push(manifest);
        res.writeHead(302, { location: `${String(manifest["redirect_url"])}?code=code-from-github` }).end();
      } else if (req.method === "POST" && req.url === "/api/v3/app-manifests/code-from-github/conversions") {
        res.writeHead(201, { "content-type": "application/json" }).end(
          JSON.stringify({
            id: 4242,
            slug: "autopack-test",
            client_id: "Iv1.client",
            client_secret: "client-secret",
            webhook_secret: "secret-from-github",
            pem,
            html_url: `${base}/apps/autopack-test`,
          }),
        );
      } else if (req.method === "GET" && req.url === "/apps/autopack-test/installations/new") {
        res.writeHead(200, { "content-type": "text/html" }).end("<title>Install Autopack</title>");
      } else {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: "Not Found" }));
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  return {
    port,
    manifests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
