import type { RepoGitHub } from "../github/door.js";
import { canSteer, isBot } from "../policy/permissions.js";

/** Whether a person may start or steer a run, and their role for the log (`none` when GitHub knows none). */
export interface SteerDecision {
  allowed: boolean;
  role: string;
}

/** Asks once per login: the gate is made per job, so a person asked about twice costs one request. */
export type SteerGate = (login: string) => Promise<SteerDecision>;

/**
 * The one permission gate every intent passes (a label, a command, a review, a re-run), and every
 * reviewer whose words become feedback. GitHub's classic `permission` level decides (admin or write;
 * maintain reads as write there), never `role_name`: a custom role built on write has a name of its own
 * but the level `write`. Someone GitHub does not know as a collaborator has none; bots never steer and
 * are not asked about.
 */
export function steerGate(github: Pick<RepoGitHub, "collaboratorPermission">): SteerGate {
  const asked = new Map<string, Promise<SteerDecision>>();
  return (login) => {
    let decision = asked.get(login);
    if (decision === undefined) {
      decision = decide(github, login);
      asked.set(login, decision);
      // A failed look-up is not a decision: the next question asks again.
      decision.catch(() => asked.delete(login));
    }
    return decision;
  };
}

async function decide(github: Pick<RepoGitHub, "collaboratorPermission">, login: string): Promise<SteerDecision> {
  if (login === "" || isBot({ login })) return { allowed: false, role: "none" };
  const access = await github.collaboratorPermission(login);
  const level = access?.permission ?? "none";
  return { allowed: canSteer(level), role: access?.roleName ?? level };
}
