import Bottleneck from "bottleneck";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisConnection } from "../queue/bullmq-queue.js";
import { startRedis, type TestRedis } from "../../test/support/redis.js";
import { mendSharedThrottling, sharedThrottleGroups } from "./shared-throttling.js";

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.close();
});

describe("GitHub throttling shared on Redis", () => {
  it("keeps limiting after Redis restarted empty: the limiter makes its settings again", async () => {
    mendSharedThrottling();
    const client = redisConnection(redis.url);
    const connection = new Bottleneck.IORedisConnection({ client });
    connection.on("error", () => undefined);
    const limiter = new Bottleneck({ id: "github", maxConcurrent: 2, connection });
    expect(await limiter.schedule(async () => "before")).toBe("before");

    await redis.restart();
    for (let i = 0; i < 100 && client.status !== "ready"; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await limiter.schedule(async () => "after")).toBe("after");
    await limiter.disconnect();
    client.disconnect();
  });
});

describe("GitHub writes paced across processes on Redis", () => {
  /** A process's groups, on a Redis connection of its own. */
  const processOn = () => {
    const client = redisConnection(redis.url);
    return { client, groups: sharedThrottleGroups(client) };
  };

  it("spaces one installation's writes a second apart across processes, and another installation's not after them", async () => {
    const [a, b] = [processOn(), processOn()];
    const started: Record<string, number> = {};
    const write = (groups: typeof a.groups, installation: string, name: string) =>
      groups.write.key(installation).schedule(async () => void (started[name] = Date.now()));
    await Promise.all([write(a.groups, "7", "a"), write(b.groups, "7", "b"), write(b.groups, "8", "other")]);
    const [first, second] = [started["a"]!, started["b"]!].sort((x, y) => x - y);
    expect(second! - first!).toBeGreaterThanOrEqual(950);
    // Another installation's write does not wait for that second.
    expect(started["other"]!).toBeLessThan(second!);
    a.client.disconnect();
    b.client.disconnect();
  });

  it("lets a process write when another died in the middle of a write of the same installation", async () => {
    const dying = processOn();
    let writing!: () => void;
    const inWrite = new Promise<void>((resolve) => (writing = resolve));
    void dying.groups.write
      .key("9")
      .schedule(() => {
        writing();
        return new Promise(() => undefined);
      })
      .catch(() => undefined);
    await inWrite;
    // Killed: its connection gone, the write it had begun never finished.
    dying.client.disconnect();

    const next = processOn();
    await expect(next.groups.write.key("9").schedule(async () => "written")).resolves.toBe("written");
    next.client.disconnect();
  });
});
