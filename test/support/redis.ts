import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A throwaway Redis for tests: Debian's `redis-server`, listening on a Unix socket in a fresh temporary
 * folder and on no TCP port at all (so no port is ever picked and bound later), with nothing saved to
 * disk. `.ci/run` installs it; `restart()` stops and starts it on the same socket, losing everything.
 */
export interface TestRedis {
  /** The socket path; `redisConnection` (src/queue/bullmq-queue.ts) takes it as the Redis URL. */
  url: string;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export function redisServerPath(): string {
  const found = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).stdout.trim();
  if (!found) throw new Error("redis-server is not installed: `apt-get install -y redis-server` (.ci/run does it)");
  return found;
}

export async function startRedis(): Promise<TestRedis> {
  const binary = redisServerPath();
  const dir = mkdtempSync(join(tmpdir(), "autopack-redis-"));
  const socket = join(dir, "redis.sock");
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(
      binary,
      ["--port", "0", "--unixsocket", socket, "--unixsocketperm", "700", "--save", "", "--appendonly", "no", "--dir", dir],
      {
        stdio: "ignore",
      },
    );
    for (let i = 0; i < 200 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 25));
    if (!existsSync(socket)) throw new Error("redis-server did not start");
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once("exit", () => resolve());
      running.kill("SIGKILL");
    });
    rmSync(socket, { force: true });
  };
  await start();
  return {
    url: socket,
    async restart() {
      await stop();
      await start();
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
