/** Roles that may start or steer a run. */
export const STEERING_ROLES: ReadonlySet<string> = new Set(["admin", "maintain", "write"]);

export function canSteer(role: string): boolean {
  return STEERING_ROLES.has(role);
}

/** Bots never trigger anything, the app itself included. */
export function isBot(sender: { type?: string | null; login?: string | null } | null | undefined): boolean {
  if (!sender) return true;
  return sender.type === "Bot" || (sender.login ?? "").endsWith("[bot]");
}
