import { ID_PATTERN } from "../plan/schema.js";

export type Command =
  | { name: "retry"; phases: string[] }
  | { name: "skip"; phase: string }
  | { name: "status" }
  | { name: "cancel" }
  | { name: "help" }
  | { name: "plan" }
  | { name: "approve" }
  | { name: "unknown"; text: string };

const BARE = ["status", "cancel", "help", "plan", "approve"] as const;

const COMMAND_LINE = /^\/autopack(?:[ \t]+(.*))?$/;

/**
 * Finds the first `/autopack …` command in a comment. Only a line of its own counts: commands in
 * quoted text (`>`), fenced or indented code blocks and inline code are ignored. The syntax is fixed
 * and allow-listed: nothing in a comment can change configuration, models, budgets or keys.
 */
export function parseCommand(body: string): Command | null {
  let fence: string | null = null;
  for (const raw of body.replace(/\r\n?/g, "\n").split("\n")) {
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
    if (fenceMatch) {
      const marker = fenceMatch[1]!;
      if (fence === null) fence = marker[0]!.repeat(marker.length);
      else if (marker.startsWith(fence)) fence = null;
      continue;
    }
    if (fence !== null) continue;
    if (/^( {4}|\t)/.test(raw)) continue;
    const line = raw.trim();
    const match = COMMAND_LINE.exec(line);
    if (!match) continue;
    const words = (match[1] ?? "").trim().split(/\s+/).filter(Boolean);
    const [verb, ...args] = words;
    switch (verb?.toLowerCase()) {
      case "retry": {
        const phases = args.map((a) => a.replace(/,$/, ""));
        if (phases.some((p) => !ID_PATTERN.test(p)) || phases.length > 25) return { name: "unknown", text: line.slice(0, 100) };
        return { name: "retry", phases };
      }
      case "skip":
        return args.length === 1 && ID_PATTERN.test(args[0]!)
          ? { name: "skip", phase: args[0]! }
          : { name: "unknown", text: line.slice(0, 100) };
      case "status":
      case "cancel":
      case "help":
      case "plan":
      case "approve":
        return args.length === 0 ? { name: verb.toLowerCase() as (typeof BARE)[number] } : { name: "unknown", text: line.slice(0, 100) };
      case undefined:
        return { name: "help" };
      default:
        return { name: "unknown", text: line.slice(0, 100) };
    }
  }
  return null;
}

export const HELP_TEXT = [
  "**Autopack commands** (people with write access; comment on the run's issue or on a phase pull request):",
  "",
  "- `/autopack retry`: build the failed or escalated phases again (on a phase PR: that phase, with the PR's review comments as feedback).",
  "- `/autopack retry P2 P3`: build those phases again.",
  "- `/autopack skip P2`: leave phase P2 out (its pull request is left as it is), so its tier can finish without it.",
  "- `/autopack status`: refresh the status comment.",
  "- `/autopack plan`: on an issue without a plan, propose one as a comment you can edit.",
  "- `/autopack approve`: start a run from Autopack's proposed plan as it is now, or approve a run that waits for approval.",
  "- `/autopack cancel`: stop scheduling new work; open pull requests are left for people.",
  "- `/autopack help`: this list.",
  "",
  "To start a run, add the `autopack` label to an issue whose body holds a plan (or that has a plan Autopack proposed).",
  "The status comment's control panel does the same as these commands: tick a box.",
].join("\n");
