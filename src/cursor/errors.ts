/**
 * How a refusal of Cursor's API is told to people: one kind per cause, each with what to do about
 * it. `environment` failures are the app's set-up (key, repository access, plan): retrying an
 * attempt cannot help, so the phase goes to a person at once.
 */
export type CursorErrorKind = "bad-key" | "not-connected" | "usage-limit" | "rate-limited" | "unavailable" | "refused" | "bad-answer";

export class CursorError extends Error {
  override readonly name = "CursorError";
  constructor(
    readonly kind: CursorErrorKind,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }

  /** Whether only a change of the app's set-up can help (key, repository access, plan). */
  get environment(): boolean {
    return this.kind === "bad-key" || this.kind === "not-connected" || this.kind === "usage-limit";
  }
}

/** Mentions of a repository Cursor cannot reach (its GitHub integration lacks it). */
const REPOSITORY = /\brepo(sitory|sitories)?\b|github/i;
/** Mentions of a plan's or account's spending limit. */
const USAGE = /usage|spend|quota|limit|plan|billing|payment|credit/i;

/**
 * The error for a refused request. `what` names the request (`launching the agent`); `detail` is
 * Cursor's own text, already rid of secrets; `repository` is the repository the request was about.
 */
export function refusal(status: number, detail: string, what: string, repository: string | null): CursorError {
  const said = detail === "" ? "" : ` (Cursor said: ${detail})`;
  if (status === 401) {
    return new CursorError(
      "bad-key",
      `Cursor refused CURSOR_API_KEY while ${what} (401): the key is wrong, revoked or expired. Create a key in Cursor's dashboard (Integrations) and set CURSOR_API_KEY in the app's environment${said}`,
      status,
    );
  }
  if (status === 402 || (status !== 429 && status >= 400 && status < 500 && USAGE.test(detail) && !REPOSITORY.test(detail))) {
    return new CursorError(
      "usage-limit",
      `Cursor refused ${what}: the account of CURSOR_API_KEY has reached its usage or spending limit (${status}); raise the limit or change plans in Cursor's dashboard${said}`,
      status,
    );
  }
  if (repository !== null && [400, 403, 404, 422].includes(status) && REPOSITORY.test(detail)) {
    return new CursorError(
      "not-connected",
      `Cursor cannot reach ${repository} (${status}): the repository is not connected to Cursor. Install Cursor's GitHub app on it (Cursor dashboard > Integrations > GitHub) with the account that owns CURSOR_API_KEY${said}`,
      status,
    );
  }
  if (status === 403) {
    return new CursorError(
      "bad-key",
      `Cursor refused ${what} (403): CURSOR_API_KEY may not use Cloud Agents (a user key or a service account key with Cloud Agents access is needed)${said}`,
      status,
    );
  }
  return new CursorError("refused", `Cursor refused ${what} (${status})${said}`, status);
}
