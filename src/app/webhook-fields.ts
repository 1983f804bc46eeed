import { z } from "zod";

/** The webhook fields Autopack relies on, validated before anything is queued. */
const Account = z.object({ login: z.string(), type: z.string().optional() });
const Repository = z.object({ name: z.string(), owner: z.object({ login: z.string() }) });
const Installation = z.object({ id: z.number().int() });

export const LabeledPayload = z.object({
  installation: Installation,
  repository: Repository,
  sender: Account,
  /** `body` is the issue body as it was when the label was added: the plan the labeller vouched for. */
  issue: z.object({ number: z.number().int(), body: z.string().nullable(), pull_request: z.unknown().optional() }),
  label: z.object({ name: z.string() }),
});

export const CommentPayload = z.object({
  installation: Installation,
  repository: Repository,
  sender: Account,
  issue: z.object({ number: z.number().int(), pull_request: z.unknown().optional() }),
  comment: z.object({ id: z.number().int(), body: z.string().nullable(), user: Account.nullable() }),
});

export const ReviewPayload = z.object({
  installation: Installation,
  repository: Repository,
  sender: Account,
  review: z.object({ id: z.number().int(), state: z.string(), body: z.string().nullable() }),
  pull_request: z.object({ number: z.number().int(), head: z.object({ ref: z.string() }) }),
});

export const CheckRunPayload = z.object({
  installation: Installation,
  repository: Repository,
  sender: Account,
  check_run: z.object({
    name: z.string(),
    head_sha: z.string(),
    app: z.object({ id: z.number().int() }).nullable().optional(),
    check_suite: z.object({ head_branch: z.string().nullable() }).nullable().optional(),
  }),
});

export const CheckSuitePayload = z.object({
  installation: Installation,
  repository: Repository,
  check_suite: z.object({ head_branch: z.string().nullable() }),
});

export const StatusPayload = z.object({
  installation: Installation,
  repository: Repository,
  branches: z.array(z.object({ name: z.string() })),
});

export const PullRequestPayload = z.object({
  installation: Installation,
  repository: Repository,
  sender: Account,
  pull_request: z.object({ number: z.number().int(), head: z.object({ ref: z.string() }) }),
});
