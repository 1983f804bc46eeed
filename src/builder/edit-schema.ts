import { z } from "zod";
import { readEditPlan, type EditKind } from "./edit-reading.js";

/**
 * Structured outputs of the Builder's two model steps. Every field is required or `.nullable()`
 * (never only `.optional()`), as OpenAI structured outputs demand.
 */

/** Most files the model may ask to read in the first step. */
export const MAX_REQUESTED_FILES = 20;

export const FileRequestSchema = z.object({
  files: z.array(z.string()).describe(`Repository paths to read, at most ${MAX_REQUESTED_FILES}, most useful first`),
});
export type FileRequest = z.infer<typeof FileRequestSchema>;

export const ReplacementSchema = z.object({
  search: z.string().describe("Exact text of the current file, matching exactly once"),
  replace: z.string().describe("Text that takes its place"),
});

const path = z.string().describe("Repository-relative path");

/*
 * One shape per kind of edit (a JSON schema `anyOf` of objects, which strict structured outputs
 * accept): a field that does not apply must be null, so a server that enforces the schema cannot
 * produce an edit whose meaning is unclear, such as an update with both or neither of content and
 * replacements. Every shape has all four fields: strict mode wants each one required.
 */
export const CreateEditSchema = z.object({
  path,
  action: z.literal("create"),
  content: z.string().describe("The new file's full text"),
  replacements: z.null(),
});
export const ReplaceEditSchema = z.object({
  path,
  action: z.literal("update"),
  content: z.null(),
  replacements: z.array(ReplacementSchema).describe("Search/replace pairs, applied in order"),
});
export const RewriteEditSchema = z.object({
  path,
  action: z.literal("update"),
  content: z.string().describe("The whole new text of a small file"),
  replacements: z.null(),
});
export const DeleteEditSchema = z.object({ path, action: z.literal("delete"), content: z.null(), replacements: z.null() });

export const EditSchema = z.union([CreateEditSchema, ReplaceEditSchema, RewriteEditSchema, DeleteEditSchema]);
export type Edit = z.infer<typeof EditSchema>;

const StrictEditPlanSchema = z.object({
  summary: z.string().describe("What you changed and why: a first line under 70 characters, then details"),
  edits: z.array(EditSchema),
});

const SHAPES: Record<EditKind, z.ZodType> = {
  create: CreateEditSchema,
  replace: ReplaceEditSchema,
  rewrite: RewriteEditSchema,
  delete: DeleteEditSchema,
};
const SummarySchema = StrictEditPlanSchema.pick({ summary: true });

/**
 * The edit plan. The JSON schema sent is the strict one above; an answer is read more kindly
 * (`readEditPlan`): one whose meaning is clear is taken as meant, and `onNotes` hears what was set
 * aside (each parse reports anew: the last one is the answer taken). One whose meaning is not clear is
 * refused with a precise problem per edit, which the model is shown in the repair round.
 */
export function editPlanSchema(onNotes?: (notes: string[]) => void) {
  return z.preprocess((raw, ctx) => {
    const read = readEditPlan(raw);
    const issues = [...read.problems];
    // Each edit against its own shape: a union would only say "Invalid input".
    const edits = isRecord(read.value) && Array.isArray(read.value.edits) ? read.value.edits : [];
    read.kinds.forEach((kind, index) => {
      if (!kind) return;
      for (const issue of SHAPES[kind].safeParse(edits[index]).error?.issues ?? []) {
        issues.push({ path: ["edits", index, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))], message: issue.message });
      }
    });
    // With the edits refused here, the plan's other fields are checked here too, so that one repair round can fix all.
    if (issues.length > 0) {
      for (const issue of SummarySchema.safeParse(read.value).error?.issues ?? []) {
        issues.push({ path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)), message: issue.message });
      }
    }
    for (const issue of issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path, input: raw });
    onNotes?.(read.notes);
    return read.value;
  }, StrictEditPlanSchema);
}

export const EditPlanSchema = editPlanSchema();
export type EditPlan = z.infer<typeof EditPlanSchema>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
