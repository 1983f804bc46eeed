/**
 * Permission levels that may start or steer a run: GitHub's collaborator `permission` (admin, write,
 * read, none; a maintainer's reads as write, and `maintain` is taken too where a server says it).
 */
export const STEERING_PERMISSIONS: ReadonlySet<string> = new Set(["admin", "maintain", "write"]);

export function canSteer(permission: string): boolean {
  return STEERING_PERMISSIONS.has(permission);
}

/** Bots never trigger anything, the app itself included. */
export function isBot(sender: { type?: string | null; login?: string | null } | null | undefined): boolean {
  if (!sender) return true;
  return sender.type === "Bot" || (sender.login ?? "").endsWith("[bot]");
}
