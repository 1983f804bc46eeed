/**
 * `npm run bench`: runs every row module in `bench/rows/` (each in its own process, so that memory and
 * CPU figures are its own) and writes the table to `bench/RESULTS.md`, with the machine it ran on.
 * `npm run bench -- --only NAME[,NAME]` runs some rows and prints them without writing the file.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, release, tmpdir, totalmem, type } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";
import { renderResults } from "./lib/results.js";

const ROWS_DIR = fileURLToPath(new URL("./rows/", import.meta.url));
/** Rows in this order first; any other module after them, by name. */
const ORDER = ["requests", "webhook-ack", "prompt-tokens", "cpu", "rss", "scale-out", "core"];
/** A row module's time limit: 8 minutes for the four fleets of scale-out, 5 for the others (the whole run stays within 15 minutes on 2 cores). */
const rowTimeoutMs = (name: string) => (name === "scale-out" ? 8 : 5) * 60_000;

/** What a row module answers, by shape (a module may declare the interface itself). */
const BenchRowSchema = z.object({
  figure: z.string(),
  baseline: z.string(),
  target: z.string(),
  measured: z.string(),
  met: z.boolean().nullable(),
  detail: z.string().optional(),
});
export type MeasuredRow = z.infer<typeof BenchRowSchema> & { module: string; seconds: number };

function rowNames(): string[] {
  const names = readdirSync(ROWS_DIR)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && file !== "row.ts")
    .map((file) => file.slice(0, -3));
  const rank = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** In the child: runs one module and writes its rows as JSON to `out`. */
async function child(name: string, out: string): Promise<void> {
  const mod = (await import(pathToFileURL(join(ROWS_DIR, `${name}.ts`)).href)) as { default: () => Promise<unknown> };
  const rows = z.array(BenchRowSchema).parse(await mod.default());
  writeFileSync(out, JSON.stringify(rows));
}

/** Runs one module in a child process; a module that fails gives one row saying so. */
async function runModule(name: string, dir: string): Promise<MeasuredRow[]> {
  const out = join(dir, `${name}.json`);
  const started = Date.now();
  const code = await new Promise<number | null>((resolve) => {
    const proc = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--child", name, "--out", out], {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, LOG_LEVEL: process.env["LOG_LEVEL"] ?? "silent" },
      // Its own process group: a module stopped for taking too long takes the servers it started with it.
      detached: true,
    });
    const timer = setTimeout(() => process.kill(-proc.pid!, "SIGKILL"), rowTimeoutMs(name));
    proc.on("exit", (status) => {
      clearTimeout(timer);
      resolve(status);
    });
  });
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  try {
    const rows = z.array(BenchRowSchema).parse(JSON.parse(readFileSync(out, "utf8")));
    return rows.map((row) => ({ ...row, module: name, seconds }));
  } catch {
    return [
      {
        figure: `bench/rows/${name}.ts`,
        baseline: "",
        target: "",
        measured: code === null ? `killed after ${rowTimeoutMs(name) / 60_000} minutes` : `failed (exit ${code})`,
        met: false,
        detail: "The module did not produce its rows; run `npm run bench -- --only " + name + "` to see why.",
        module: name,
        seconds,
      },
    ];
  }
}

function machine(): string[] {
  const cpuList = cpus();
  let commit = "";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  } catch {
    commit = "unknown";
  }
  return [
    `CPU: ${cpuList[0]?.model.trim() ?? "unknown"}, ${cpuList.length} logical cores`,
    `Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} GiB free at the end)`,
    `Node ${process.version}, ${type()} ${release()}`,
    `Load average at the end (1, 5, 15 min): ${loadavg()
      .map((n) => n.toFixed(2))
      .join(", ")} (other work on the machine shares its cores; latencies and throughput move with it)`,
    `Commit: ${commit}`,
  ];
}

async function main(argv: string[]): Promise<void> {
  const flag = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const childName = flag("--child");
  if (childName !== undefined) return child(childName, flag("--out")!);
  const only = flag("--only")?.split(",");
  const names = rowNames().filter((name) => !only || only.includes(name));
  if (only) {
    const unknown = only.filter((name) => !names.includes(name));
    if (unknown.length > 0) throw new Error(`No such row module: ${unknown.join(", ")} (have: ${rowNames().join(", ")})`);
  }
  const dir = mkdtempSync(join(tmpdir(), "autopack-bench-"));
  const started = Date.now();
  const rows: MeasuredRow[] = [];
  try {
    for (const name of names) {
      process.stdout.write(`bench: ${name} ...\n`);
      const got = await runModule(name, dir);
      for (const row of got)
        process.stdout.write(`  ${row.figure}: ${row.measured} (${row.met === null ? "no target" : row.met ? "met" : "NOT met"})\n`);
      rows.push(...got);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const minutes = (Date.now() - started) / 60_000;
  if (only) {
    for (const row of rows) if (row.detail) process.stdout.write(`\n## ${row.figure}\n${row.detail}\n`);
    return;
  }
  const text = renderResults({ rows, machine: machine(), date: new Date(), minutes, command: "npm run bench" });
  writeFileSync(new URL("./RESULTS.md", import.meta.url), text);
  process.stdout.write(`bench: wrote bench/RESULTS.md in ${minutes.toFixed(1)} minutes\n`);
}

await main(process.argv.slice(2));
