import { createHmac, timingSafeEqual, hkdfSync } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import type { RunState } from "./run-state.js";
import { parseStoredState } from "./run-state-v1.js";

/**
 * The run's state travels in its status comment as a hidden block:
 * `<!-- autopack:state v2 <payload>.<mac> -->`, payload = base64url(gzip(JSON of { rev, at, state })),
 * mac = HMAC-SHA256 over the repository id, the issue number, the id of the comment the block was
 * written into, and the payload. So a block copied to another issue, repository or comment, or edited
 * by hand, is refused; `rev` counts the app's writes of the comment and `at` says when it wrote this
 * one (see `run-store.ts` for what they refuse). A block is written into a comment before GitHub has
 * given the comment an id, bound to comment 0, and bound to its comment at once after.
 *
 * The v1 format (no comment, no revision) is still read, so runs started before it go on; they are
 * rewritten as v2 on their next save. The state inside carries its own version (`v`), and older
 * states load through `parseStoredState`.
 */
const BLOCK = /<!-- autopack:state (v1|v2) ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+) -->/;

/** Where and when a block was written: the comment it is bound to (0 before it had an id), the write's number and time. */
export interface BlockBinding {
  commentId: number;
  rev: number;
  /** ISO time of the write, on the app's clock. */
  writtenAt: string;
}

export function stateKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "autopack", "run-state-hmac", 32));
}

function macV1(key: Buffer, repoId: number, issue: number, payload: string): string {
  return createHmac("sha256", key).update(`${repoId}:${issue}:${payload}`).digest("base64url");
}

function macV2(key: Buffer, repoId: number, issue: number, commentId: number, payload: string): string {
  return createHmac("sha256", key).update(`v2:${repoId}:${issue}:${commentId}:${payload}`).digest("base64url");
}

function pack(value: unknown): string {
  return gzipSync(Buffer.from(JSON.stringify(value))).toString("base64url");
}

export function encodeStateBlock(state: RunState, key: Buffer, binding: BlockBinding): string {
  const payload = pack({ rev: binding.rev, at: binding.writtenAt, state });
  return `<!-- autopack:state v2 ${payload}.${macV2(key, state.repo_id, state.issue, binding.commentId, payload)} -->`;
}

/** A block in the v1 format, as versions before the binding wrote them (for tests of their migration). */
export function encodeV1StateBlock(state: RunState, key: Buffer): string {
  const payload = pack(state);
  return `<!-- autopack:state v1 ${payload}.${macV1(key, state.repo_id, state.issue, payload)} -->`;
}

export type DecodeResult =
  | { ok: true; format: "v1"; state: RunState }
  | { ok: true; format: "v2"; state: RunState; binding: BlockBinding }
  | { ok: false; reason: "absent" | "bad-signature" | "malformed" };

function same(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Reads and verifies the state block of comment `commentId`'s body for the given repository and
 * issue. A v2 block verifies when it was written into this comment, or into none yet (comment 0; the
 * caller decides whether that can stand).
 */
export function decodeStateBlock(body: string, key: Buffer, repoId: number, issue: number, commentId: number): DecodeResult {
  const match = BLOCK.exec(body);
  if (!match) return { ok: false, reason: "absent" };
  const [, format, payload = "", signature = ""] = match;
  let boundTo: number | null = null;
  if (format === "v1") {
    if (!same(macV1(key, repoId, issue, payload), signature)) return { ok: false, reason: "bad-signature" };
  } else {
    boundTo = [commentId, 0].find((id) => same(macV2(key, repoId, issue, id, payload), signature)) ?? null;
    if (boundTo === null) return { ok: false, reason: "bad-signature" };
  }
  try {
    const json: unknown = JSON.parse(gunzipSync(Buffer.from(payload, "base64url")).toString("utf8"));
    if (format === "v1") {
      const state = parseStoredState(json);
      if (state === null || state.repo_id !== repoId || state.issue !== issue) return { ok: false, reason: "malformed" };
      return { ok: true, format: "v1", state };
    }
    const envelope = json as { rev?: unknown; at?: unknown; state?: unknown };
    const state = parseStoredState(envelope.state);
    const { rev, at } = envelope;
    if (state === null || state.repo_id !== repoId || state.issue !== issue) return { ok: false, reason: "malformed" };
    if (typeof rev !== "number" || !Number.isInteger(rev) || rev < 0 || typeof at !== "string" || Number.isNaN(Date.parse(at)))
      return { ok: false, reason: "malformed" };
    return { ok: true, format: "v2", state, binding: { commentId: boundTo!, rev, writtenAt: at } };
  } catch {
    return { ok: false, reason: "malformed" };
  }
}

export function hasStateBlock(body: string): boolean {
  return BLOCK.test(body);
}
