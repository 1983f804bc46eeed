const DOCS = "https://docs.github.com/rest";

/** An error answer, shaped as GitHub shapes them: `{ message, documentation_url, status }`. */
export class HttpError extends Error {
  readonly body: Record<string, unknown>;

  constructor(
    readonly status: number,
    message: string,
    extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.body = { message, ...extra, documentation_url: DOCS, status: String(status) };
  }
}

export function notFound(message = "Not Found"): HttpError {
  return new HttpError(404, message);
}

/** 422 "Validation Failed" with GitHub's `errors` list. */
export function validationFailed(errors: Record<string, unknown>[]): HttpError {
  return new HttpError(422, "Validation Failed", { errors });
}

/** 422 "Unprocessable Entity" with plain string errors, as the reviews endpoint answers. */
export function unprocessable(errors: string[]): HttpError {
  return new HttpError(422, "Unprocessable Entity", { errors });
}
