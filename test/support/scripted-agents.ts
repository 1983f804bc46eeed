import { parsePurposeId } from "../../src/llm/port.js";
import type { FakeLlm, FakeReply, RecordedRequest } from "./fake-llm.js";

/** What the Builder model answers for one attempt: the edit plan (and, optionally, files it asks to read). */
export interface BuildScript {
  summary: string;
  edits: {
    path: string;
    action: "create" | "update" | "delete";
    content?: string | null;
    replacements?: { search: string; replace: string }[] | null;
  }[];
  files?: string[];
  /**
   * The edits exactly as the model sends them, in place of `edits` (which always sends every field):
   * for answers not in the plan's shape, with fields left out or other spellings.
   */
  editsAsSent?: unknown[];
}

/** What the Auditor model answers for one audit. */
export interface AuditScript {
  recommendation: "approve" | "revise" | "escalate";
  confidence?: "low" | "medium" | "high";
  summary?: string;
  findings?: {
    path: string | null;
    line: number | null;
    severity: "minor" | "major";
    category: string;
    message: string;
    suggestion?: string | null;
  }[];
}

/** An answer sent as it is (text that may not be JSON at all), in place of a script's next audit. */
export interface RawAnswer {
  raw: string;
}

/** One phase of a plan the planner model proposes; fields left out are sent as null or empty. */
export interface PlannedPhaseScript {
  phase_id: string;
  name: string;
  description?: string;
  task_category?: string;
  complexity?: "low" | "medium" | "high";
  scope?: string[];
  acceptance?: string[];
}

/** A plan the planner model answers with. */
export interface PlanAnswer {
  summary?: string;
  tiers: { tier_id: string; name: string; description?: string; phases: PlannedPhaseScript[] }[];
}

/**
 * What the planner model answers for one `/autopack plan`: the files it asks to read, then its plan,
 * and its plan again in the repair round when the parser refused the first.
 */
export interface PlanScript {
  files?: string[];
  plans: PlanAnswer[];
}

export interface AgentScripts {
  builds?: Record<string, BuildScript[]>;
  audits?: Record<string, (AuditScript | RawAnswer)[]>;
  /** Each `/autopack plan` takes the next. */
  plans?: PlanScript[];
}

/**
 * The name of the JSON schema a request asks for: `response_format.json_schema.name` on Chat
 * Completions, `text.format.name` on the Responses API (the fake records either as `response_format`).
 */
export function schemaNameOf(req: RecordedRequest): string | undefined {
  const format = req.response_format as { name?: unknown; json_schema?: { name?: string } } | undefined;
  return format?.json_schema?.name ?? (typeof format?.name === "string" ? format.name : undefined);
}

/** What the app says a request is for (its `X-Client-Request-Id`): run, phase, role, attempt and step. */
export function purposeOf(req: RecordedRequest): ReturnType<typeof parsePurposeId> {
  return req.clientRequestId === undefined ? null : parsePurposeId(req.clientRequestId);
}

/**
 * Scripts the fake model as the Builder and the Auditor of each phase: each build or audit of a
 * phase takes the next script of that phase. A request is routed only by what the app says it is
 * for (the phase and role in its `X-Client-Request-Id`) and the JSON schema it asks for, never by
 * its prompt, so rewording a prompt cannot send an answer to the wrong phase; on either API. Anything
 * unscripted answers 500 and is recorded as unexpected, so a test fails loudly.
 */
export function scriptAgents(llm: FakeLlm, scripts: AgentScripts): void {
  const builds = new Map(Object.entries(scripts.builds ?? {}).map(([k, v]) => [k, [...v]]));
  const audits = new Map(Object.entries(scripts.audits ?? {}).map(([k, v]) => [k, [...v]]));
  const plans = [...(scripts.plans ?? [])];
  let planning: PlanScript | undefined;
  /** The script a Builder attempt took with its file request, for that attempt's edit step. */
  const pending = new Map<string, BuildScript>();
  llm.fallback((req): FakeReply => {
    const purpose = purposeOf(req);
    const schema = schemaNameOf(req);
    if (!purpose) return unscripted(llm, `request that does not say what it is for (schema ${schema ?? "(none)"})`);
    const phase = purpose.phaseId;
    const attempt = `${purpose.runId}/${phase}/${purpose.attempt}`;
    // The planner: `plan-<repo>-<issue>` with the phase `plan`, a file request, then plans.
    if (purpose.runId.startsWith("plan-") && phase === "plan" && schema === "autopack_plan_files") {
      planning = plans.shift();
      if (!planning) return unscripted(llm, "plan proposal");
      return { json: { files: planning.files ?? [] } };
    }
    if (purpose.runId.startsWith("plan-") && phase === "plan" && schema === "autopack_plan") {
      const next = planning?.plans.shift();
      if (!next) return unscripted(llm, `plan (${purpose.step})`);
      return { json: planJson(next) };
    }
    if (purpose.role === "builder" && schema === "autopack_file_request") {
      const next = builds.get(phase)?.shift();
      if (!next) return unscripted(llm, `build of ${phase}`);
      pending.set(attempt, next);
      return { json: { files: next.files ?? [] } };
    }
    if (purpose.role === "builder" && schema === "autopack_edit_plan") {
      // A repair step (after edits that did not apply) takes the phase's next script.
      const current = pending.get(attempt) ?? builds.get(phase)?.shift();
      pending.delete(attempt);
      if (!current) return unscripted(llm, `edit plan of ${phase}`);
      return {
        json: {
          summary: current.summary,
          edits:
            current.editsAsSent ??
            current.edits.map((e) => ({
              path: e.path,
              action: e.action,
              content: e.content ?? null,
              replacements: e.replacements ?? null,
            })),
        },
      };
    }
    if (purpose.role === "auditor" && schema === "autopack_audit") {
      const next = audits.get(phase)?.shift();
      if (!next) return unscripted(llm, `audit of ${phase}`);
      if ("raw" in next) return { text: next.raw };
      return {
        json: {
          recommendation: next.recommendation,
          confidence: next.confidence ?? "high",
          summary: next.summary ?? `Audit of ${phase}: ${next.recommendation}`,
          findings: (next.findings ?? []).map((f) => ({ ...f, suggestion: f.suggestion ?? null })),
        },
      };
    }
    return unscripted(llm, `${purpose.role} request with schema ${schema ?? "(none)"}`);
  });
}

function planJson(plan: PlanAnswer): unknown {
  return {
    summary: plan.summary ?? "A plan in tiers.",
    tiers: plan.tiers.map((t) => ({
      tier_id: t.tier_id,
      name: t.name,
      description: t.description ?? null,
      phases: t.phases.map((p) => ({
        phase_id: p.phase_id,
        name: p.name,
        description: p.description ?? null,
        task_category: p.task_category ?? null,
        complexity: p.complexity ?? null,
        scope: p.scope ?? [],
        acceptance: p.acceptance ?? [],
      })),
    })),
  };
}

function unscripted(llm: FakeLlm, what: string): FakeReply {
  llm.unexpected.push(`unscripted ${what}`);
  return { status: 500, body: `no script for ${what}` };
}
