/**
 * What a webhook's `author_association` can say about a person's access, cheaply: only ever "no".
 *
 * GitHub computes the field for the payload without a viewer, so it cannot see private organisation
 * memberships: a maintainer of an organisation's repository who has access through a team and keeps
 * the membership private arrives as CONTRIBUTOR, or NONE before their first commit. Only where every
 * person with write access is named by the field (a repository owned by a user: its owner and its
 * collaborators) does anything else mean "no write access". Never a "yes": the permission gate asks
 * GitHub for that.
 */
const NAMED = new Set(["OWNER", "COLLABORATOR", "MEMBER"]);

export function cannotSteerByAssociation(association: string | null | undefined, ownerType: string | null | undefined): boolean {
  if (association === null || association === undefined) return false;
  return ownerType === "User" && !NAMED.has(association.toUpperCase());
}
