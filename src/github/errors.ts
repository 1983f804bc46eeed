/** The status code of an HTTP error from GitHub (Octokit's RequestError), or undefined for anything else. */
export function httpStatus(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "status" in error) {
    const status = (error as { status: unknown }).status;
    return typeof status === "number" ? status : undefined;
  }
  return undefined;
}

/** GitHub's validation message(s) of a 422, joined, for "already exists" style checks. */
export function errorMessage(error: unknown): string {
  if (typeof error !== "object" || error === null) return String(error);
  const e = error as { message?: unknown; response?: { data?: { message?: unknown; errors?: unknown } } };
  const parts: string[] = [];
  if (typeof e.response?.data?.message === "string") parts.push(e.response.data.message);
  if (Array.isArray(e.response?.data?.errors)) {
    for (const item of e.response.data.errors) {
      if (typeof item === "string") parts.push(item);
      else if (item && typeof item === "object" && "message" in item) parts.push(String((item as { message: unknown }).message));
    }
  }
  if (parts.length === 0 && typeof e.message === "string") parts.push(e.message);
  return parts.join("; ");
}
