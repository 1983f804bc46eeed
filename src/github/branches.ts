/** Every ref the app writes lives under this prefix. */
export const BRANCH_PREFIX = "autopack/";

/** `autopack/<issue number>/<phase_id>`. */
export function phaseBranch(issue: number, phaseId: string): string {
  return `${BRANCH_PREFIX}${issue}/${phaseId}`;
}

/** The run issue and phase of a phase branch, or null for any other branch. */
export function parsePhaseBranch(ref: string | null | undefined): { issue: number; phaseId: string } | null {
  const match = /^(?:refs\/heads\/)?autopack\/(\d{1,10})\/([A-Za-z0-9][A-Za-z0-9._-]{0,39})$/.exec(ref ?? "");
  if (!match) return null;
  return { issue: Number(match[1]), phaseId: match[2]! };
}
