import picomatch from "picomatch";
import { mayRunCode } from "../policy/executable-files.js";

/**
 * Which changed files the auditor model sees first when the diff does not fit its budget. Lower is
 * more important: files a deterministic check flagged and files that run code in CI or on install
 * (src/policy/executable-files.ts: a person's push, or a repository that allows such changes), then
 * source, configuration and tests, then
 * documentation and deletions, then lockfiles, generated, vendored and minified files.
 */
export const Priority = { Flagged: 0, Source: 1, Secondary: 2, LowValue: 3 } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

const LOW_VALUE = [
  "**/package-lock.json",
  "**/npm-shrinkwrap.json",
  "**/yarn.lock",
  "**/pnpm-lock.yaml",
  "**/bun.lockb",
  "**/Cargo.lock",
  "**/poetry.lock",
  "**/Pipfile.lock",
  "**/uv.lock",
  "**/Gemfile.lock",
  "**/composer.lock",
  "**/go.sum",
  "**/*.lock",
  "**/*.min.js",
  "**/*.min.css",
  "**/*.map",
  "**/*.snap",
  "**/__snapshots__/**",
  "**/*.generated.*",
  "**/*.g.dart",
  "**/*.pb.go",
  "**/*_pb2.py",
  "**/dist/**",
  "**/build/**",
  "**/vendor/**",
  "**/node_modules/**",
  "**/third_party/**",
];

const DOCS = ["**/*.md", "**/*.mdx", "**/*.rst", "**/*.txt", "**/*.adoc", "docs/**", "**/LICENSE*", "**/CHANGELOG*"];

const isLowValue = picomatch(LOW_VALUE, { dot: true });
const isDocs = picomatch(DOCS, { dot: true, nocase: true });

export function filePriority(file: { path: string; status: string }, flagged: ReadonlySet<string>): Priority {
  if (flagged.has(file.path) || mayRunCode(file.path)) return Priority.Flagged;
  if (isLowValue(file.path)) return Priority.LowValue;
  if (file.status === "removed" || isDocs(file.path)) return Priority.Secondary;
  return Priority.Source;
}
