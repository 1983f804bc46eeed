import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..", "..");
const read = (file: string) => readFileSync(join(root, file), "utf8");

interface Instruction {
  op: string;
  args: string;
}

/** A Dockerfile's instructions (continuation lines joined, comments dropped), grouped by build stage. */
function stages(text: string): Instruction[][] {
  const joined = text.replace(/\\\n/g, " ");
  const found: Instruction[][] = [[]];
  for (const raw of joined.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const [op = "", ...rest] = line.split(/\s+/);
    const instruction = { op: op.toUpperCase(), args: rest.join(" ") };
    if (instruction.op === "FROM") found.push([]);
    found[found.length - 1]!.push(instruction);
  }
  return found;
}

describe("the container image (Dockerfile)", () => {
  const all = stages(read("Dockerfile"));
  const args = Object.fromEntries(all[0]!.filter((i) => i.op === "ARG").map((i) => i.args.split("=") as [string, string]));
  const final = all[all.length - 1]!;
  const image = (from: Instruction) => from.args.split(/\s+/)[0]!.replace(/^\$\{(\w+)\}$/, (_, name: string) => args[name] ?? "");

  it("builds and runs on one Node LTS line (an even major, 20 or newer), slim", () => {
    const bases = all.slice(1).map((stage) => image(stage[0]!));
    expect(bases.length).toBeGreaterThanOrEqual(2);
    expect(new Set(bases).size).toBe(1);
    const major = Number(/^node:(\d+)-/.exec(bases[0]!)?.[1]);
    expect(major).toBeGreaterThanOrEqual(20);
    expect(major % 2).toBe(0);
    expect(bases[0]).toMatch(/-slim$/);
  });

  it("runs the compiled app as the non-root node user", () => {
    const users = final.filter((i) => i.op === "USER").map((i) => i.args);
    expect(users.at(-1)).toBe("node");
    const userAt = final.findIndex((i) => i.op === "USER");
    expect(final.slice(userAt).some((i) => i.op === "RUN")).toBe(false);
    expect(final.find((i) => i.op === "CMD")?.args).toBe('["node", "dist/main.js"]');
    const env = final
      .filter((i) => i.op === "ENV")
      .map((i) => i.args)
      .join(" ");
    expect(env).toContain("HOST=0.0.0.0");
    expect(env).toContain("NODE_ENV=production");
  });

  it("has a HEALTHCHECK asking GET /healthz on the app's port with Node (slim images have no curl)", () => {
    const health = final.filter((i) => i.op === "HEALTHCHECK");
    expect(health).toHaveLength(1);
    expect(health[0]!.args).toMatch(/CMD \["node", "-e", ".*fetch\(.*\/healthz/);
    expect(health[0]!.args).toContain("process.env.PORT");
    expect(health[0]!.args).not.toMatch(/curl|wget/);
  });
});

describe("docker-compose.yml", () => {
  const compose = parseYaml(read("docker-compose.yml"), { merge: true }) as {
    services: Record<string, Record<string, unknown> & { environment?: Record<string, string> }>;
  };
  const { redis, web, worker } = compose.services;

  it("runs Redis, one web process and scalable workers, wired by REDIS_URL to the Redis service", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["redis", "web", "worker"]);
    expect(String(redis!["image"])).toMatch(/^redis:/);
    expect(web!.environment).toMatchObject({ AUTOPACK_ROLE: "web", REDIS_URL: "redis://redis:6379" });
    expect(worker!.environment).toMatchObject({ AUTOPACK_ROLE: "worker", REDIS_URL: "redis://redis:6379" });
    for (const app of [web!, worker!]) {
      expect(app["build"]).toBe(".");
      expect(app["depends_on"]).toEqual({ redis: { condition: "service_healthy" } });
    }
  });

  it("publishes only the web process's port; workers have none and can be scaled", () => {
    expect(web!["ports"]).toEqual(["3000:3000"]);
    expect(worker!["ports"]).toBeUndefined();
    expect(redis!["ports"]).toBeUndefined();
    expect(worker!["container_name"]).toBeUndefined();
  });

  it("checks every service's health: /healthz for the app, a ping for Redis", () => {
    for (const app of [web!, worker!]) expect(JSON.stringify(app["healthcheck"])).toContain("/healthz");
    expect(JSON.stringify(redis!["healthcheck"])).toContain("ping");
  });
});

describe("CI", () => {
  it("builds the image in a workflow, without pushing it", () => {
    const workflow = parseYaml(read(".github/workflows/ci.yml")) as { jobs: Record<string, { steps: Record<string, unknown>[] }> };
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const build = steps.find((s) => String(s["uses"] ?? "").startsWith("docker/build-push-action@"));
    expect(build).toBeDefined();
    expect((build!["with"] as Record<string, unknown>)["push"]).toBe(false);
  });
});
