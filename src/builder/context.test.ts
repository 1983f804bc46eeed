import { describe, expect, it } from "vitest";
import { countTokens } from "../llm/tokens.js";
import { DEFAULT_DENIED_PATHS } from "../policy/path-policy.js";
import { PhaseSchema } from "../plan/schema.js";
import { selectContext, type ContextInput } from "./context.js";
import { editSystemPrompt, fileRequestSystemPrompt } from "./prompts/system.js";
import { renderTreeListing, type TreeEntry } from "./tree-listing.js";

const rules = { deniedPaths: DEFAULT_DENIED_PATHS, scope: [], scopeStrict: false, maxFileKb: 100 };

function blob(path: string, size = 200): TreeEntry {
  return { path, mode: "100644", type: "blob", sha: `sha-${path}`, size };
}

/** 10,000 files in nested directories, a few special ones. */
function bigTree(): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (let i = 0; i < 10_000; i += 1) {
    entries.push(blob(`packages/pkg${i % 40}/src/module${i % 25}/file-with-a-long-name-${i}.ts`, 2_000));
  }
  entries.push(blob("src/config/parse.ts"), blob("src/config/parse.test.ts"), blob("README.md"));
  entries.push(blob(".env", 50), blob("deploy/server.pem", 50), blob("assets/logo.png", 5_000), blob("big/data.json", 500_000));
  return entries;
}

function fakeInput(overrides: Partial<ContextInput> & { requested?: string[] }): {
  input: ContextInput;
  loaded: string[];
  prompts: string[];
} {
  const loaded: string[] = [];
  const prompts: string[] = [];
  const input: ContextInput = {
    tree: { entries: bigTree(), truncated: false },
    phase: PhaseSchema.parse({ phase_id: "P1", phase_index: 0, tier_id: "T1", name: "Config parser", scope: ["src/config/**"] }),
    tierName: "Core",
    attempt: 1,
    feedback: "The previous attempt forgot the tests.",
    deniedPaths: DEFAULT_DENIED_PATHS,
    promptBudget: 8_000,
    editSystem: editSystemPrompt(rules),
    fileRequestSystem: fileRequestSystemPrompt(rules, 20),
    loadFile: async (entry) => {
      loaded.push(entry.path);
      if (entry.path.endsWith(".png")) return null;
      return `// ${entry.path}\n${"export const value = 1;\n".repeat(Math.max(1, Math.floor((entry.size ?? 100) / 24)))}`;
    },
    chooseFiles: async (prompt) => {
      prompts.push(prompt.user);
      return overrides.requested ?? [];
    },
    ...overrides,
  };
  return { input, loaded, prompts };
}

describe("selectContext", () => {
  it("keeps a 10,000-file repository within the prompt budget", async () => {
    const { input, prompts } = fakeInput({ requested: ["README.md"] });
    const context = await selectContext(input);
    expect(countTokens(context.system) + countTokens(context.user)).toBeLessThanOrEqual(8_000);
    expect(context.promptTokens).toBeLessThanOrEqual(8_000);
    expect(countTokens(input.fileRequestSystem) + countTokens(prompts[0]!)).toBeLessThanOrEqual(8_000);
    expect(context.user).toContain("levels deep are counted per directory");
    // Scope files are listed even though their directories are summarised.
    expect(context.user).toContain("src/config/parse.ts");
  });

  it("costs about as much on a 1,000-file repository as on a 100-file one, however large the budget", async () => {
    const tree = (n: number) => [
      ...Array.from({ length: n }, (_, i) => blob(`lib/part${i % 10}/unit-${i}.ts`)),
      blob("src/config/parse.ts"),
      blob("README.md"),
    ];
    const tokens = async (n: number) => {
      const { input } = fakeInput({ tree: { entries: tree(n), truncated: false }, promptBudget: 60_000 });
      const context = await selectContext(input);
      expect(context.user).toContain("src/config/parse.ts");
      return context.promptTokens;
    };
    const small = await tokens(100);
    const large = await tokens(1_000);
    expect(large / small).toBeLessThanOrEqual(1.5);
  });

  it("includes the scope files and the requested ones, as untrusted blocks", async () => {
    const { input } = fakeInput({ requested: ["README.md", "./README.md", "nope/missing.ts"] });
    const context = await selectContext(input);
    expect([...context.files.keys()]).toEqual(["src/config/parse.test.ts", "src/config/parse.ts", "README.md"]);
    expect(context.user).toContain('### File "src/config/parse.ts"\n<untrusted source="file">');
    expect(context.user).toContain('<untrusted source="phase">');
    expect(context.user).toContain('<untrusted source="feedback">\nThe previous attempt forgot the tests.');
    expect(context.omitted).toContain("nope/missing.ts: not in the repository");
  });

  it("never loads denied, binary-by-size or huge files", async () => {
    const { input, loaded } = fakeInput({
      requested: [".env", "deploy/server.pem", ".github/workflows/../../.env", "big/data.json", "assets/logo.png"],
    });
    const context = await selectContext(input);
    expect(loaded).not.toContain(".env");
    expect(loaded).not.toContain("deploy/server.pem");
    expect(loaded).not.toContain("big/data.json");
    expect(context.files.has(".env")).toBe(false);
    expect(context.files.has("assets/logo.png")).toBe(false);
    expect(context.omitted).toEqual(
      expect.arrayContaining([
        ".env: not readable (denied path)",
        "deploy/server.pem: not readable (denied path)",
        "assets/logo.png: binary file",
      ]),
    );
  });

  it("stops adding files when they no longer fit", async () => {
    const many = Array.from({ length: 20 }, (_, i) => `packages/pkg${i}/src/module${i}/file-with-a-long-name-${i}.ts`);
    const { input } = fakeInput({ requested: many, promptBudget: 6_000 });
    const context = await selectContext(input);
    expect(context.promptTokens).toBeLessThanOrEqual(6_000);
    expect(context.files.size).toBeLessThan(22);
    expect(context.omitted.some((o) => o.endsWith("does not fit in the context"))).toBe(true);
  });

  it("cuts very long feedback to fit", async () => {
    const { input } = fakeInput({ feedback: "finding ".repeat(20_000) });
    const context = await selectContext(input);
    expect(context.promptTokens).toBeLessThanOrEqual(8_000);
    expect(context.user).toContain("[… cut to fit the context]");
  });
});

describe("renderTreeListing", () => {
  it("lists every file when the tree is small", () => {
    const text = renderTreeListing([blob("a.ts"), blob("src/b.ts")], { scope: [], maxTokens: 1_000, truncated: false });
    expect(text).toBe("2 files.\na.ts\nsrc/b.ts");
  });

  it("summarises deep directories and cuts a huge flat listing", () => {
    const deep = renderTreeListing(bigTree(), { scope: [], maxTokens: 500, truncated: true });
    expect(countTokens(deep)).toBeLessThanOrEqual(500);
    expect(deep).toContain("incomplete");
    const flat = Array.from({ length: 10_000 }, (_, i) => blob(`file-${i}.txt`));
    const cut = renderTreeListing(flat, { scope: [], maxTokens: 300, truncated: false });
    expect(countTokens(cut)).toBeLessThanOrEqual(300);
    expect(cut).toMatch(/more top-level entries not shown$/);
  });
});
