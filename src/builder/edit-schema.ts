import { z } from "zod";

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

export const EditSchema = z.object({
  path: z.string().describe("Repository-relative path"),
  action: z.enum(["create", "update", "delete"]),
  content: z.string().nullable().describe("Full file content for create, or for update of a small file; else null"),
  replacements: z.array(ReplacementSchema).nullable().describe("Search/replace pairs for update; else null"),
});

export const EditPlanSchema = z.object({
  summary: z.string().describe("What you changed and why: a first line under 70 characters, then details"),
  edits: z.array(EditSchema),
});
export type EditPlan = z.infer<typeof EditPlanSchema>;
