import { z } from "zod";
import { SimpleTokenBudget } from "../../src/llm/budget.js";
import { createOpenAiLlm, type OpenAiLlmOptions } from "../../src/llm/openai-llm.js";
import type { StructuredRequest } from "../../src/llm/port.js";
import type { FakeLlm } from "./fake-llm.js";

/** The small structured answer the adapter tests ask the fake model for. */
export const Plan = z.object({ title: z.string(), steps: z.array(z.string()), note: z.string().nullable() });
export type Plan = z.infer<typeof Plan>;
export const good: Plan = { title: "Add a flag", steps: ["edit", "test"], note: null };

/** What the adapter logged, kept so a test can check that no secret or prompt text reached it. */
export type LogLine = { level: string; obj: object; msg?: string };

/** The OpenAI adapter pointed at the fake model, with a recognisable key and a logger into `logs`. */
export function adapterFor(fake: FakeLlm, logs: LogLine[], options: Partial<OpenAiLlmOptions> = {}) {
  return createOpenAiLlm({
    apiKey: "sk-test-secret-key-1234567890",
    baseURL: fake.baseURL,
    models: { builder: "builder-model", auditor: "auditor-model" },
    timeoutMs: 2_000,
    maxRetries: 1,
    logger: {
      debug: (obj, msg) => logs.push({ level: "debug", obj, msg }),
      warn: (obj, msg) => logs.push({ level: "warn", obj, msg }),
    },
    ...options,
  });
}

/** A request for `Plan` from one role, with any field overridden. */
export function planRequest(defaults: Pick<StructuredRequest<Plan>, "role" | "purpose">) {
  return (over: Partial<StructuredRequest<Plan>> = {}): StructuredRequest<Plan> => ({
    ...defaults,
    system: "You plan work.",
    user: "Plan the change.",
    schema: Plan,
    schemaName: "plan",
    maxOutputTokens: 500,
    budget: new SimpleTokenBudget(100_000),
    ...over,
  });
}
