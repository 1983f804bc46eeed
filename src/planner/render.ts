import { stringify } from "yaml";
import { fenceFor, forCodeBlock } from "../policy/outbound.js";
import type { ProposedPlan } from "./schema.js";

/** The proposed plan in Autopack's YAML form, inside a fenced block tagged `autopack`. */
export function renderPlanBlock(plan: ProposedPlan): string {
  const tiers = plan.tiers.map((tier) => ({
    tier_id: tier.tier_id,
    name: tier.name,
    ...(tier.description ? { description: tier.description } : {}),
    phases: tier.phases.map((p) => ({
      phase_id: p.phase_id,
      name: p.name,
      ...(p.description ? { description: p.description } : {}),
      ...(p.task_category ? { task_category: p.task_category } : {}),
      ...(p.complexity ? { complexity: p.complexity } : {}),
      ...(p.scope.length > 0 ? { scope: p.scope } : {}),
      ...(p.acceptance.length > 0 ? { acceptance: p.acceptance } : {}),
    })),
  }));
  // Text the app posts: nothing hidden, no secrets; the fence is longer than any backticks inside.
  const yaml = forCodeBlock(stringify({ tiers }, { lineWidth: 0 })).trimEnd();
  const fence = fenceFor(yaml);
  return `${fence}autopack\n${yaml}\n${fence}`;
}
