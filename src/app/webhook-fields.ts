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

/** The head and base repositories of a pull request (the head's is null once a fork is deleted). */
const PullRepos = z.object({
  head: z.object({ ref: z.string(), repo: z.object({ id: z.number().int() }).nullable() }),
  base: z.object({ repo: z.object({ id: z.number().int() }) }),
});

export const CommentPayload = z.object({
  installation: Installation,
  repository: Repository.extend({ owner: z.object({ login: z.string(), type: z.string().optional() }) }),
  sender: Account,
  issue: z.object({ number: z.number().int(), pull_request: z.unknown().optional() }),
  comment: z.object({
    id: z.number().int(),
    body: z.string().nullable(),
    user: Account.nullable(),
    author_association: z.string().optional(),
  }),
});

/** An edited comment: GitHub's `changes.body.from` is the body before the edit. */
export const CommentEditedPayload = CommentPayload.extend({
  changes: z.object({ body: z.object({ from: z.string().nullable() }).optional() }).optional(),
});

export const ReviewPayload = z.object({
  installation: Installation,
  repository: Repository,
  sender: Account,
  review: z.object({ id: z.number().int(), state: z.string(), body: z.string().nullable() }),
  pull_request: PullRepos.extend({ number: z.number().int() }),
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
    /** The open pull requests whose head is this commit on this branch (none for a fork's head). */
    pull_requests: z.array(PullRepos).optional(),
  }),
});

export const CheckSuitePayload = z.object({
  installation: Installation,
  repository: Repository,
  check_suite: z.object({ head_branch: z.string().nullable(), pull_requests: z.array(PullRepos).optional() }),
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
  pull_request: PullRepos.extend({
    number: z.number().int(),
    merged: z.boolean().nullable().optional(),
    head: PullRepos.shape.head.extend({ sha: z.string() }),
  }),
});

/** Whether a pull request's head lives in another repository (a fork, or one deleted since). */
export function headElsewhere(pr: z.infer<typeof PullRepos>): boolean {
  return pr.head.repo === null || pr.head.repo.id !== pr.base.repo.id;
}

/**
 * Whether a check's event is about a phase branch of this repository: one of the open pull requests
 * GitHub matched to the checked commit has its head here, on that branch. A fork's check reports
 * none (or only pull requests from elsewhere), whatever its branch is called.
 */
export function checkedHere(pullRequests: z.infer<typeof PullRepos>[] | undefined, branch: string | null | undefined): boolean {
  return (pullRequests ?? []).some((pr) => !headElsewhere(pr) && pr.head.ref === branch);
}
