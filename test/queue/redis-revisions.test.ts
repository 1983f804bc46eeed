import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisRevisions } from "../../src/queue/redis-revisions.js";
import { startRedis, type TestRedis } from "../support/redis.js";

let redis: TestRedis;
const clients: Redis[] = [];
const client = () => {
  const c = new Redis({ path: redis.url, maxRetriesPerRequest: null });
  clients.push(c);
  return c;
};

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis.close();
});

describe("status comment revisions shared on Redis", () => {
  it("tell one process what another wrote, keep the highest, and know nothing of other comments", async () => {
    const writer = redisRevisions(client());
    const reader = redisRevisions(client());
    await writer.note(101, 3);
    await writer.note(101, 7);
    await reader.note(101, 5);
    await writer.note(202, 1);
    expect(await reader.recall([101, 202, 303])).toEqual(
      new Map([
        [101, 7],
        [202, 1],
      ]),
    );
    expect(await reader.recall([])).toEqual(new Map());
  });
});
