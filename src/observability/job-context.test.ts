import { describe, expect, it } from "vitest";
import type { Log } from "../supervisor/deps.js";
import { jobAwareLog, runInJob } from "./job-context.js";

/** A log that keeps what it was told, by name. */
function recorder(name: string, lines: string[]): Log {
  const write = (fields: unknown, message?: string) => void lines.push(`${name}: ${message ?? String(fields)}`);
  return { debug: write, info: write, warn: write, error: write, child: () => recorder(name, lines) } as unknown as Log;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("a client's log lines while jobs run", () => {
  it("go to the job that wrote them, also while another job ends first, and to the client's own log outside any job", async () => {
    const lines: string[] = [];
    const client = jobAwareLog(recorder("client", lines) as unknown as { info: (m: string) => void });
    let releaseLong!: () => void;
    const long = runInJob(recorder("long", lines), async () => {
      await new Promise<void>((resolve) => (releaseLong = resolve));
      client.info("request from the long job");
    });
    await runInJob(recorder("short", lines), async () => {
      await tick();
      client.info("request from the short job");
    });
    // The short job has ended; the long one still runs and keeps its context.
    releaseLong();
    await long;
    client.info("request outside any job");
    await runInJob(recorder("next", lines), async () => client.info("request from the next job"));
    expect(lines).toEqual([
      "short: request from the short job",
      "long: request from the long job",
      "client: request outside any job",
      "next: request from the next job",
    ]);
  });
});
