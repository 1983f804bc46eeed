/**
 * Per-phase budgets from the build playbook, by `task_category`.
 * High-risk categories take fewer builder attempts, more audits and a named auditor profile.
 */
export interface PhaseBudget {
  builder_attempts: number;
  auditor_attempts: number;
  token_cap: number;
  auditor_profile?: string;
  review_focus: string;
}

const K = 1_000;
const M = 1_000_000;

export const PLAYBOOK: Readonly<Record<string, PhaseBudget>> = {
  feature_scaffolding: { builder_attempts: 3, auditor_attempts: 2, token_cap: 500 * K, review_focus: "general" },
  docs: { builder_attempts: 2, auditor_attempts: 1, token_cap: 200 * K, review_focus: "general" },
  tests: { builder_attempts: 3, auditor_attempts: 1, token_cap: 300 * K, review_focus: "general" },
  debt_cleanup: { builder_attempts: 2, auditor_attempts: 1, token_cap: 400 * K, review_focus: "general" },
  cross_cutting_refactor: {
    builder_attempts: 2,
    auditor_attempts: 2,
    token_cap: 1 * M,
    auditor_profile: "refactor_review",
    review_focus: "general",
  },
  index_registry_change: { builder_attempts: 2, auditor_attempts: 2, token_cap: 800 * K, review_focus: "general" },
  schema_contract_change: {
    builder_attempts: 2,
    auditor_attempts: 3,
    token_cap: 1 * M,
    auditor_profile: "schema_review",
    review_focus: "schema",
  },
  bulk_multi_file_operation: { builder_attempts: 1, auditor_attempts: 2, token_cap: 1.5 * M, review_focus: "general" },
  security_auth_change: {
    builder_attempts: 2,
    auditor_attempts: 3,
    token_cap: 800 * K,
    auditor_profile: "security_review",
    review_focus: "security",
  },
};

export const DEFAULT_PHASE_BUDGET: PhaseBudget = { builder_attempts: 3, auditor_attempts: 2, token_cap: 500 * K, review_focus: "general" };

/** Run-level limits from the playbook. */
export const MAX_MINOR_ISSUES_PER_PHASE = 3;

export function phaseBudget(taskCategory: string | undefined, overrides: Readonly<Record<string, Partial<PhaseBudget>>> = {}): PhaseBudget {
  const known = taskCategory !== undefined ? PLAYBOOK[taskCategory] : undefined;
  const base = known ?? DEFAULT_PHASE_BUDGET;
  const override = (taskCategory !== undefined ? overrides[taskCategory] : undefined) ?? (known ? {} : overrides["default"]) ?? {};
  return { ...base, ...override };
}
