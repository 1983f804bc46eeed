import type { AutopackApi } from "../autopack-api/client.js";
import type { CursorApi } from "../cursor/client.js";
import type { GitHubApp, IssueComment } from "../github/door.js";
import type { LlmPort } from "../llm/port.js";
import type { AppQueue } from "./jobs.js";
import type { SupervisorMetrics } from "./metrics.js";
import type { WrittenRevisions } from "./run-store.js";

export interface Log {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  /** A job's log: adds fields to its later lines (the run id, once the run is loaded). */
  bind?(fields: { runId?: string | null }): void;
}

/** What the workers need from the outside world; everything is a port, so tests can aim it anywhere. */
export interface WorkerDeps {
  /** The door to GitHub (the app, its installations, their repositories). */
  github: GitHubApp;
  queue: AppQueue;
  llm: LlmPort;
  /** Cursor's Cloud Agents API for repositories with `builder: cursor`; null (or absent) when `CURSOR_API_KEY` is not set. */
  cursor?: CursorApi | null;
  /** The orchestrator mirror; with mirroring off, an API that takes every call and drops it. */
  api: AutopackApi;
  /** How long pending mirror calls wait before they are sent again without an event. */
  mirrorRetryMs: number;
  /** Model names per role, for the cost estimate. */
  models: { builder: string; auditor: string };
  /** HMAC key of the state blocks. */
  stateKey: Buffer;
  /** The revisions of status comments this process wrote (a block older than these is stale). */
  written?: WrittenRevisions;
  /** This app's id: its comments carry it in `performed_via_github_app`. */
  appId: number;
  log: Log;
  now(): Date;
  /** Told of finished work, model tokens and pending mirror calls (the app's `/metrics`). */
  metrics?: SupervisorMetrics;
}

/**
 * Comments written by this app: a bot comment carrying this app's id, or, where the API leaves
 * `performed_via_github_app` out, one by this app's bot user. Signed state blocks are verified on top.
 */
export function commentFilter(appId: number, botLogin: string | null): (c: IssueComment) => boolean {
  return (c) => c.userType === "Bot" && (c.appId === appId || (c.appId === null && botLogin !== null && c.userLogin === botLogin));
}
