import { describe, expect, it } from "vitest";
import { cannotSteerByAssociation } from "./association.js";

describe("cannotSteerByAssociation", () => {
  it("says no for anyone but the owner and collaborators of a user's repository", () => {
    for (const a of ["NONE", "CONTRIBUTOR", "FIRST_TIMER", "FIRST_TIME_CONTRIBUTOR", "MANNEQUIN"])
      expect(cannotSteerByAssociation(a, "User"), a).toBe(true);
    for (const a of ["OWNER", "COLLABORATOR", "MEMBER"]) expect(cannotSteerByAssociation(a, "User"), a).toBe(false);
  });

  it("says nothing in an organisation's repository, where private members arrive as CONTRIBUTOR or NONE", () => {
    for (const a of ["NONE", "CONTRIBUTOR", "FIRST_TIMER", "OWNER", "MEMBER"])
      expect(cannotSteerByAssociation(a, "Organization"), a).toBe(false);
  });

  it("says nothing without the field", () => {
    expect(cannotSteerByAssociation(undefined, "User")).toBe(false);
    expect(cannotSteerByAssociation(null, "User")).toBe(false);
    expect(cannotSteerByAssociation("NONE", undefined)).toBe(false);
  });
});
