import { describe, expect, it } from "vitest";
import type { CollaboratorPermission } from "../github/door.js";
import { steerGate } from "./steer-gate.js";

/** A repository that answers the permission look-up from a table, counting the questions. */
function repo(access: Record<string, CollaboratorPermission | null | Error>) {
  const asked: string[] = [];
  return {
    asked,
    github: {
      async collaboratorPermission(login: string) {
        asked.push(login);
        const answer = access[login];
        if (answer instanceof Error) throw answer;
        return answer ?? null;
      },
    },
  };
}

describe("steerGate", () => {
  it("decides on GitHub's permission level, not role_name; an unknown person has none", async () => {
    const { github } = repo({
      maintainer: { permission: "write", roleName: "maintain" },
      triager: { permission: "read", roleName: "triage" },
      classic: { permission: "admin", roleName: null },
      // A custom repository role built on write: its name is its own, its level is write.
      releaser: { permission: "write", roleName: "release-manager" },
      // A role name that claims more than the level GitHub grants decides nothing.
      pretender: { permission: "read", roleName: "write" },
      unlevelled: { permission: null, roleName: "admin" },
      nobody: null,
    });
    const steer = steerGate(github);
    expect(await steer("maintainer")).toEqual({ allowed: true, role: "maintain" });
    expect(await steer("triager")).toEqual({ allowed: false, role: "triage" });
    expect(await steer("classic")).toEqual({ allowed: true, role: "admin" });
    expect(await steer("releaser")).toEqual({ allowed: true, role: "release-manager" });
    expect(await steer("pretender")).toEqual({ allowed: false, role: "write" });
    expect(await steer("unlevelled")).toEqual({ allowed: false, role: "admin" });
    expect(await steer("nobody")).toEqual({ allowed: false, role: "none" });
  });

  it("asks GitHub once per person, and never about a bot", async () => {
    const { github, asked } = repo({ writer: { permission: "write", roleName: "write" } });
    const steer = steerGate(github);
    await steer("writer");
    await steer("writer");
    expect(await steer("helper[bot]")).toEqual({ allowed: false, role: "none" });
    expect(await steer("")).toEqual({ allowed: false, role: "none" });
    expect(asked).toEqual(["writer"]);
  });

  it("asks again after a failed look-up", async () => {
    const access: Record<string, CollaboratorPermission | Error> = { writer: new Error("502") };
    const { github, asked } = repo(access);
    const steer = steerGate(github);
    await expect(steer("writer")).rejects.toThrow("502");
    access["writer"] = { permission: "write", roleName: "write" };
    expect((await steer("writer")).allowed).toBe(true);
    expect(asked).toEqual(["writer", "writer"]);
  });
});
