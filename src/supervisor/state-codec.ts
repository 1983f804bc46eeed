import { createHmac, timingSafeEqual, hkdfSync } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import type { RunState } from "./run-state.js";
import { parseStoredState } from "./run-state-v1.js";

/**
 * The run's state travels in its status comment as a hidden block:
 * `<!-- autopack:state v1 <payload>.<mac> -->`, payload = base64url(gzip(JSON)), mac = HMAC-SHA256.
 * The MAC also covers the repository id and issue number, so a block copied to another issue or
 * edited by hand is refused. `v1` names the block's format; the state inside carries its own
 * version (`v`), and older states load through `parseStoredState`.
 */
const BLOCK = /<!-- autopack:state v1 ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+) -->/;

export function stateKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "autopack", "run-state-hmac", 32));
}

function mac(key: Buffer, repoId: number, issue: number, payload: string): string {
  return createHmac("sha256", key).update(`${repoId}:${issue}:${payload}`).digest("base64url");
}

export function encodeStateBlock(state: RunState, key: Buffer): string {
  const payload = gzipSync(Buffer.from(JSON.stringify(state))).toString("base64url");
  return `<!-- autopack:state v1 ${payload}.${mac(key, state.repo_id, state.issue, payload)} -->`;
}

export type DecodeResult = { ok: true; state: RunState } | { ok: false; reason: "absent" | "bad-signature" | "malformed" };

/** Reads and verifies the state block of a comment body for the given repository and issue. */
export function decodeStateBlock(body: string, key: Buffer, repoId: number, issue: number): DecodeResult {
  const match = BLOCK.exec(body);
  if (!match) return { ok: false, reason: "absent" };
  const [, payload = "", signature = ""] = match;
  const expected = Buffer.from(mac(key, repoId, issue, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "bad-signature" };
  try {
    const json: unknown = JSON.parse(gunzipSync(Buffer.from(payload, "base64url")).toString("utf8"));
    const state = parseStoredState(json);
    if (state === null || state.repo_id !== repoId || state.issue !== issue) return { ok: false, reason: "malformed" };
    return { ok: true, state };
  } catch {
    return { ok: false, reason: "malformed" };
  }
}

export function hasStateBlock(body: string): boolean {
  return BLOCK.test(body);
}
