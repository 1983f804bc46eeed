import { spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
const proc = spawn(
  process.execPath,
  ["--cpu-prof", "--cpu-prof-dir=/tmp/prof", "--import", "tsx", "bench/lib/ack-server.ts", "app", "/tmp/prof/payload.json"],
  { stdio: ["ignore", "pipe", "inherit"] },
);
const url = await new Promise<string>((r) =>
  proc.stdout!.on("data", (c: Buffer) => {
    const m = /READY (\S+)/.exec(c.toString());
    if (m) r(m[1]!);
  }),
);
const { name, payload } = JSON.parse(readFileSync("/tmp/prof/payload.json", "utf8"));
const body = JSON.stringify(payload);
const sig = `sha256=${createHmac("sha256", "test-webhook-secret").update(body).digest("hex")}`;
const r = await autocannon({
  url,
  method: "POST",
  body,
  headers: { "content-type": "application/json", "x-github-event": name, "x-github-delivery": randomUUID(), "x-hub-signature-256": sig },
  connections: 10,
  duration: 5,
  requests: [{ setupRequest: (q) => ({ ...q, headers: { ...q.headers, "x-github-delivery": randomUUID() } }) }],
});
console.log(r.requests.average, r.latency.p50, r.latency.p99, r.non2xx);
proc.kill("SIGINT");
await new Promise((r) => setTimeout(r, 2000));
