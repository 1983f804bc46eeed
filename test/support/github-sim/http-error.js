const DOCS = "https://docs.github.com/rest";
/** An error answer, shaped as GitHub shapes them: `{ message, documentation_url, status }`. */
export class HttpError extends Error {
  status;
  headers;
  body;
  constructor(status, message, extra = {}, headers = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
    this.body = { message, ...extra, documentation_url: DOCS, status: String(status) };
  }
}
export function notFound(message = "Not Found") {
  return new HttpError(404, message);
}
/** 422 "Validation Failed" with GitHub's `errors` list. */
export function validationFailed(errors) {
  return new HttpError(422, "Validation Failed", { errors });
}
/** 422 "Unprocessable Entity" with plain string errors, as the reviews endpoint answers. */
export function unprocessable(errors) {
  return new HttpError(422, "Unprocessable Entity", { errors });
}
//# sourceMappingURL=http-error.js.map
