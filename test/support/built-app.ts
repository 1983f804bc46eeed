import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "..");

/** The app as `npm start` runs it: the tests that start it as a process start this file. */
export const BUILT_MAIN = join(root, "dist", "main.js");

/**
 * vitest's global setup: compiles `src` to `dist` (`npm run build`, incremental: a second or so when
 * nothing changed) once before the tests, so the tests that start the app run what users run, and
 * never an older build.
 */
export default function buildApp(): void {
  try {
    execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-b", "tsconfig.build.json"], {
      cwd: root,
      encoding: "utf8",
      stdio: "pipe",
    });
  } catch (error) {
    const out = error as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed:\n${out.stdout ?? ""}${out.stderr ?? ""}`);
  }
}
