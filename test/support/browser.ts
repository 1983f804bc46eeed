import { spawnSync } from "node:child_process";
import { chromium, type Browser } from "playwright-core";

/**
 * Debian's `chromium` (or Google Chrome, as CI runners have it), found on PATH; a test that needs a
 * browser fails, never skips, without one.
 */
export function chromiumPath(): string {
  const which = "command -v chromium || command -v chromium-browser || command -v google-chrome";
  const found = spawnSync("sh", ["-c", which], { encoding: "utf8" }).stdout.trim();
  if (!found)
    throw new Error("chromium is not installed: `apt-get install -y chromium` (.ci/run does it); nothing is downloaded at install");
  return found.split("\n")[0]!;
}

/** A real headless browser (playwright-core drives it; it downloads nothing). */
export async function launchBrowser(): Promise<Browser> {
  // The sandbox needs user namespaces a container run as root does not have.
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ["--no-sandbox", "--disable-gpu"] });
}

/** True for an address on this machine: the only place a test may reach. */
export function isLoopback(url: string): boolean {
  const { hostname } = new URL(url);
  return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
}
