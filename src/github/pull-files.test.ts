import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NAME, OWNER, startAuditWorld, type AuditWorld } from "../auditor/fixtures/audit-world.js";

let world: AuditWorld;

beforeEach(async () => {
  world = await startAuditWorld({ perPage: 2 });
});

afterEach(async () => {
  world.sim.assertClean();
  await world.close();
});

describe("pullFiles", () => {
  it("follows pagination and keeps patches, statuses and renames; a binary file has no patch", async () => {
    const many = Object.fromEntries(Array.from({ length: 102 }, (_, i) => [`src/gen/file${i}.ts`, `export const v = ${i};\n`]));
    const head = world.push({
      ...many,
      "src/a.ts": "a\n",
      "docs/readme.md": "# Shop\n", // renamed from README.md, same content
      "README.md": null,
      "logo.png": "\u0089PNG\u0000\u0001binary",
    });
    const pr = world.openPull();
    const files = await world.github.pullFiles(pr);

    expect(files).toHaveLength(105);
    expect(
      files
        .filter((f) => !f.path.startsWith("src/gen/"))
        .map((f) => f.path)
        .sort(),
    ).toEqual(["docs/readme.md", "logo.png", "src/a.ts"]);
    expect(world.sim.requests.filter((r) => r.path.includes(`/pulls/${pr}/files`)).length).toBeGreaterThan(1);
    expect(files.find((f) => f.path === "src/a.ts")).toEqual({
      path: "src/a.ts",
      previousPath: null,
      status: "added",
      additions: 1,
      deletions: 0,
      patch: "@@ -0,0 +1 @@\n+a",
    });
    expect(files.find((f) => f.path === "docs/readme.md")).toMatchObject({ status: "renamed", previousPath: "README.md" });
    expect(files.find((f) => f.path === "logo.png")?.patch).toBeNull();
    expect((await world.github.pull(pr)).headSha).toBe(head);
  });
});

describe("readFile", () => {
  it("reads a text file at a commit, and answers null for a missing, binary or too large file or a directory", async () => {
    const head = world.push({ "src/a.ts": "export const a = 1;\n", "logo.png": "\u0000\u0001" });
    expect(await world.github.readFile("src/a.ts", head)).toBe("export const a = 1;\n");
    expect(await world.github.readFile("src/missing.ts", head)).toBeNull();
    expect(await world.github.readFile("logo.png", head)).toBeNull();
    expect(await world.github.readFile("src", head)).toBeNull();
    expect(await world.github.readFile("src/a.ts", head, 5)).toBeNull();
    expect(world.sim.fileAt(OWNER, NAME, head, "src/a.ts")).toBe("export const a = 1;\n");
  });
});
