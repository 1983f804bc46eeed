import Bottleneck from "bottleneck";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisConnection } from "../queue/bullmq-queue.js";
import { startRedis, type TestRedis } from "../../test/support/redis.js";
import { mendSharedThrottling } from "./shared-throttling.js";

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
