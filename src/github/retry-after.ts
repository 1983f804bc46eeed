/**
 * GitHub's "wait before you ask again": a 403 or 429 with `Retry-After` (a secondary rate limit), or a
 * spent quota (`x-ratelimit-remaining: 0`, until `x-ratelimit-reset`). Until then nothing more is sent
 * on that installation from this process: the gate holds every request of it, and the request that was
 * refused is sent once more when the wait is short.
 */

/** A refused request is sent again by the door itself only when GitHub asks to wait at most this long. */
export const INLINE_WAIT_MS = 60_000;

export class RetryAfterGate {
  readonly #until = new Map<number, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Holds the caller until the installation may be asked again. */
  async wait(installationId: number): Promise<void> {
    for (;;) {
      const until = this.#until.get(installationId) ?? 0;
      const left = until - this.now();
      if (left <= 0) {
        this.#until.delete(installationId);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, left));
    }
  }

  /** Nothing goes to the installation for `ms` from now (a longer wait already set stands). */
  pause(installationId: number, ms: number): void {
    const until = this.now() + ms;
    if (until > (this.#until.get(installationId) ?? 0)) this.#until.set(installationId, until);
  }
}

/** How long GitHub asks to wait after this error, in ms; undefined when it is no rate limit. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as { status?: unknown; response?: { headers?: Record<string, unknown> } };
  if (e.status !== 403 && e.status !== 429) return undefined;
  const headers = e.response?.headers ?? {};
  const after = Number(headers["retry-after"]);
  if (headers["retry-after"] !== undefined && Number.isFinite(after) && after >= 0) return after * 1000;
  if (String(headers["x-ratelimit-remaining"]) === "0") {
    const reset = Number(headers["x-ratelimit-reset"]) * 1000;
    if (Number.isFinite(reset)) return Math.max(0, reset - now) + 1000;
  }
  return e.status === 429 ? 60_000 : undefined;
}
