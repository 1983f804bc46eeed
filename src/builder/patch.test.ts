import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildPatch, type FileChange } from "./patch.js";

const before: Record<string, string> = {
  "README.md": "# Title\n\nold line\nkeep\n",
  "src/gone.ts": "export const gone = true;\n",
  "dir with space/crlf.txt": "a\r\nb\r\n",
};
const changes: FileChange[] = [
  { path: "src/new.ts", before: null, after: "export const created = 1;\nexport const two = 2;\n" },
  { path: "README.md", before: before["README.md"]!, after: "# Title\n\nnew line\nkeep\nno newline at the end" },
  { path: "src/gone.ts", before: before["src/gone.ts"]!, after: null },
  { path: "dir with space/crlf.txt", before: before["dir with space/crlf.txt"]!, after: "a\r\nc\r\n" },
];

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

describe("buildPatch", () => {
  it("writes git headers, /dev/null sides and counts lines", () => {
    const result = buildPatch(changes);
    expect(result.filesChanged).toEqual(["README.md", "dir with space/crlf.txt", "src/gone.ts", "src/new.ts"]);
    expect(result.linesAdded).toBe(2 + 1 + 2);
    expect(result.linesRemoved).toBe(1 + 1 + 1);
    expect(result.patch).toContain("diff --git a/src/new.ts b/src/new.ts\nnew file mode 100644\n--- /dev/null\n+++ b/src/new.ts\n");
    expect(result.patch).toContain("diff --git a/src/gone.ts b/src/gone.ts\ndeleted file mode 100644\n--- a/src/gone.ts\n+++ /dev/null\n");
    expect(result.patch).toContain("\\ No newline at end of file\n");
    expect(result.files.find((f) => f.path === "src/new.ts")?.kind).toBe("added");
  });

  it("applies with git apply in a fresh repository", () => {
    const dir = mkdtempSync(join(tmpdir(), "autopack-patch-"));
    dirs.push(dir);
    git(dir, "init", "-q");
    for (const [path, content] of Object.entries(before)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    git(dir, "add", "-A");
    git(dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base");
    const patchFile = join(dir, "..", `${dir.split("/").pop()}.patch`);
    dirs.push(patchFile);
    writeFileSync(patchFile, buildPatch(changes).patch);
    git(dir, "apply", "--check", patchFile);
    git(dir, "apply", patchFile);
    for (const change of changes) {
      const file = join(dir, change.path);
      if (change.after === null) expect(existsSync(file)).toBe(false);
      else expect(readFileSync(file, "utf8")).toBe(change.after);
    }
  });

  it("is empty when nothing changed", () => {
    expect(buildPatch([{ path: "a", before: "x", after: "x" }])).toMatchObject({ patch: "", filesChanged: [], linesAdded: 0 });
  });
});
