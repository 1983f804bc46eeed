import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { BUILT_MAIN } from "./built-app.js";
import type { GitHubSim } from "./github-sim/index.js";

const root = resolve(import.meta.dirname, "..", "..");

/**
 * Probot reads PORT=0 as 3000, so the app cannot be asked for "any free port" as every other test
 * server is. Picking a free port and letting the app bind it later would race other test files'
 * servers (one could be given that port meanwhile and receive our webhooks). So the app is offered
 * ports below the range the OS hands out for port 0, which no test server can be given, and
 * webhooks go only to the port its own "Listening on" line names; when a port is taken by someone
 * outside the tests, the app exits and another port is tried.
 */
function portsOutsideEphemeralRange(): number[] {
  const range = "/proc/sys/net/ipv4/ip_local_port_range";
  const low = existsSync(range) ? Number(readFileSync(range, "utf8").trim().split(/\s+/)[0]) : 49_152;
  const top = Number.isInteger(low) && low > 11_024 ? low - 1 : 29_999;
  return Array.from({ length: 5 }, () => top - Math.floor(Math.random() * 10_000));
}

/** The app as a process (`dist/main.js`, see `built-app.ts`), configured only by its environment. */
export interface AppProcess {
  child: ChildProcess;
  /** The port the app says it listens on. */
  port: number;
  output(): string;
}

/**
 * Starts the app and waits until it listens: a web process (the default role, or the setup page) on
 * a port it is offered, a worker (`AUTOPACK_ROLE=worker`) on port 0; from `cwd` (the project by default).
 */
/** The environment of an app process pointed at the GitHub simulator, as that app, on loopback. */
export function simulatorEnv(sim: Pick<GitHubSim, "appId" | "privateKey" | "host">): Record<string, string> {
  return {
    PATH: process.env["PATH"] ?? "",
    APP_ID: String(sim.appId),
    PRIVATE_KEY: sim.privateKey,
    GHE_HOST: sim.host,
    GHE_PROTOCOL: "http",
    HOST: "127.0.0.1",
  };
}

export async function startApp(env: Record<string, string>, options: { cwd?: string } = {}): Promise<AppProcess> {
  let output = "";
  const worker = env["AUTOPACK_ROLE"] === "worker";
  for (const offered of worker ? [0] : portsOutsideEphemeralRange()) {
    // Node itself runs the built app, as `npm start` does (no wrapper process): a SIGKILL sent to the
    // child kills the app.
    const child = spawn(process.execPath, [BUILT_MAIN], {
      cwd: options.cwd ?? root,
      env: { ...env, PORT: String(offered) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    let exited = false;
    child.once("exit", () => (exited = true));
    const port = await until(
      "the app to listen",
      () => {
        const listening = /Listening on http:\/\/[^\s"/]+:(\d+)|health on port (\d+)/.exec(output);
        if (listening) return Number(listening[1] ?? listening[2]);
        return exited ? 0 : undefined;
      },
      60_000,
    );
    if (port > 0) return { child, port, output: () => output };
  }
  throw new Error(`the app did not start:\n${output}`);
}

/** Polls `probe` until it answers; on time-out, the error says what was awaited and what `explain` saw. */
export async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000, explain?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${explain ? `\n${explain()}` : ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
