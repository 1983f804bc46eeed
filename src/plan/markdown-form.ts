import type { Heading, Nodes, Root } from "mdast";
import { formatPath, type FormReading, type Locate, type PathSeg } from "./draft.js";
import { emptyFields, readFieldBullets, sliceWithout, type PhaseFields } from "./markdown-fields.js";
import { code } from "./problem-text.js";
import type { PlanProblem } from "./schema.js";

/** A `## Tier` or `### Phase` heading and the text below it, up to the next heading of level 1–3. */
interface Section {
  id?: string;
  name?: string;
  line: number;
  start: number;
  end: number;
}
interface PhaseSection extends Section {
  path: string;
  fields: PhaseFields;
}
interface TierSection extends Section {
  phases: PhaseSection[];
}

/**
 * Reads the friendly form: `## Tier T1: Name` and `### Phase P1: Name` headings at the top level
 * of the issue, text below them as descriptions, and field bullets inside phases. Returns
 * undefined when the issue has no such headings at all.
 */
export function readMarkdownPlan(root: Root, body: string): FormReading | undefined {
  const tiers: TierSection[] = [];
  const problems: PlanProblem[] = [];
  let tier: TierSection | undefined;
  let open: Section | undefined;
  let phase: PhaseSection | undefined;
  let sawHeading = false;

  for (const node of root.children) {
    if (node.type === "heading" && node.depth <= 3) {
      if (open) open.end = node.position?.start.offset ?? open.end;
      open = phase = undefined;
      const heading = readHeading(node);
      if (!heading) continue;
      sawHeading = true;
      const section = { ...heading.title, line: node.position?.start.line ?? 1, start: node.position?.end.offset ?? 0, end: body.length };
      if (heading.kind === "tier") {
        tier = { ...section, phases: [] };
        tiers.push(tier);
        open = tier;
      } else if (!tier) {
        problems.push({
          line: section.line,
          message: `the heading ${code(heading.text)} comes before any tier heading; put phases under a tier, such as \`## Tier T1: Name\``,
        });
      } else {
        phase = { ...section, path: formatPath(["tiers", tiers.length - 1, "phases", tier.phases.length]), fields: emptyFields() };
        tier.phases.push(phase);
        open = phase;
      }
    } else if (phase && node.type === "list") {
      readFieldBullets(node, body, phase.fields, problems, phase.path);
    }
  }
  if (!sawHeading) return undefined;
  if (tiers.length === 0) return { problems };

  const lines = new Map<string, number>();
  const data = {
    tiers: tiers.map((t, i) => {
      const at: PathSeg[] = ["tiers", i];
      for (const key of ["", ".tier_id", ".name", ".description", ".phases"]) lines.set(formatPath(at) + key, t.line);
      return {
        tier_id: t.id,
        name: t.name,
        description: sliceWithout(body, t.start, t.end, []),
        phases: t.phases.map((p, j) => {
          const pat = formatPath([...at, "phases", j]);
          for (const key of ["", ".phase_id", ".name", ".description"]) lines.set(pat + key, p.line);
          for (const [key, line] of p.fields.lines) lines.set(`${pat}.${key}`, line);
          return { phase_id: p.id, name: p.name, description: sliceWithout(body, p.start, p.end, p.fields.cuts), ...p.fields.values };
        }),
      };
    }),
  };
  const first = tiers[0]?.line;
  const locate: Locate = (path) => {
    for (let n = path.length; n > 0; n--) {
      const line = lines.get(formatPath(path.slice(0, n)));
      if (line !== undefined) return line;
    }
    return first;
  };
  return { draft: { form: "markdown", data, locate }, problems };
}

/** `Tier T1: Name`, `Phase P1 — Name`, `phase p1 - Name` -> kind, id and name. */
function readHeading(node: Heading): { kind: "tier" | "phase"; text: string; title: { id?: string; name?: string } } | undefined {
  const text = plainText(node).replace(/\s+/g, " ").trim();
  const match = /^(tier|phase)(?![\p{L}\p{N}_])\s*(.*)$/iu.exec(text);
  if (!match) return undefined;
  const kind = (match[1] ?? "").toLowerCase() === "tier" ? "tier" : "phase";
  const rest = match[2] ?? "";
  const sep = /\s*[:—–]\s*|\s+-\s+|\s+-$/.exec(rest);
  const id = (sep ? rest.slice(0, sep.index) : rest).trim();
  const name = sep ? rest.slice(sep.index + sep[0].length).trim() : "";
  return { kind, text, title: { ...(id ? { id } : {}), ...(name ? { name } : {}) } };
}

function plainText(node: Nodes): string {
  if (node.type === "image") return node.alt ?? "";
  if (node.type === "html") return "";
  if (node.type === "break") return " ";
  if ("value" in node && typeof node.value === "string") return node.value;
  if ("children" in node) return node.children.map((child) => plainText(child)).join("");
  return "";
}
