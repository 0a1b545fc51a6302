/** An account: a user, a bot (`…[bot]`) or an organization. */
export interface FakeUser {
  login: string;
  id: number;
  type: 'User' | 'Bot' | 'Organization';
}

/** A collaborator's role, as `GET /collaborators/{u}/permission` reports it in `role_name`. */
export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

/** A repository: its bare git repository on disk and everything GitHub keeps beside git. */
export interface FakeRepository {
  id: number;
  owner: FakeUser;
  name: string;
  fullName: string;
  defaultBranch: string;
  /** The bare repository on disk; refs, commits and contents come from here. */
  bareDir: string;
  private: boolean;
  collaborators: Map<string, Permission>;
  labels: Map<string, FakeLabel>;
  /** Issues and pull requests share this number sequence. */
  nextNumber: number;
  issues: Map<number, FakeIssue>;
  /** When true, a dispatch asking for `return_run_details` answers 422 (a server without the flag). */
  rejectRunDetails: boolean;
  /** Workflow ids by file path (`.github/workflows/x.yml`), assigned on first use. */
  workflowIds: Map<string, number>;
}

/** A label of a repository. */
export interface FakeLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

/** The pull-request half of an issue. */
export interface FakePull {
  head: { ref: string; sha: string; repoFullName: string };
  base: { ref: string };
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  mergedBy: FakeUser | null;
}

/** An issue, or a pull request when `pull` is set (they share numbers, comments and labels). */
export interface FakeIssue {
  id: number;
  number: number;
  repoFullName: string;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | null;
  labels: string[];
  user: FakeUser;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  pull?: FakePull;
}

/** A comment on an issue or pull request. */
export interface FakeComment {
  id: number;
  repoFullName: string;
  issueNumber: number;
  body: string;
  user: FakeUser;
  createdAt: string;
  updatedAt: string;
  /** Reactions recorded, as `{ content, user }`. */
  reactions: { content: string; user: string }[];
}

/** Status of a workflow run or job, as GitHub names them. */
export type RunStatus = 'requested' | 'queued' | 'pending' | 'in_progress' | 'completed';
/** Conclusion of a completed run or job. */
export type RunConclusion = 'success' | 'failure' | 'cancelled' | 'skipped';

/** The events that start workflow runs in the fake: a dispatch, or an event a workflow's `on:` names. */
export type WorkflowEventName =
  | 'workflow_dispatch'
  | 'push'
  | 'issues'
  | 'issue_comment'
  | 'pull_request'
  | 'workflow_run';

/** A workflow run created by a dispatch or started by an event. */
export interface FakeWorkflowRun {
  id: number;
  repoFullName: string;
  workflowId: number;
  workflowName: string;
  /** `.github/workflows/<file>` */
  path: string;
  /** The run-name with expressions substituted (GitHub reports it as both `name` and `display_title`). */
  name: string;
  event: WorkflowEventName;
  /** The dispatch's inputs; empty for runs an event started. */
  inputs: Record<string, string>;
  headBranch: string;
  headSha: string;
  runNumber: number;
  status: RunStatus;
  conclusion: RunConclusion | null;
  actor: FakeUser;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  concurrencyGroup: string | undefined;
  jobIds: number[];
  cancelRequested: boolean;
  /** Why the run failed before any job ran (an invalid matrix, an unsupported workflow feature). */
  problems: string[];
  /**
   * How many `workflow_run` links led to this run: 0 for a dispatch or any other event, one more than the completed
   * run for a `workflow_run` event. GitHub starts no run past three links.
   */
  chainDepth: number;
}

/** One job of a workflow run (one matrix entry). */
export interface FakeJob {
  id: number;
  runId: number;
  name: string;
  status: RunStatus;
  conclusion: RunConclusion | null;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  /** The matrix entry of this job (its `matrix` context), if any. */
  matrix: Record<string, unknown> | undefined;
  steps: {
    name: string;
    number: number;
    status: 'queued' | 'in_progress' | 'completed';
    conclusion: RunConclusion | null;
  }[];
  /** What the job printed (checkout and every step). */
  log: string;
  /** The action step's outputs (`GITHUB_OUTPUT`). */
  outputs: Record<string, string>;
  /** The action step's job summary (`GITHUB_STEP_SUMMARY`). */
  summary: string;
}

/** A check run. */
export interface FakeCheckRun {
  id: number;
  repoFullName: string;
  name: string;
  headSha: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  startedAt: string;
  completedAt: string | null;
  app: FakeUser | undefined;
}

/** Everything the fake GitHub holds besides git; tests read it directly. */
export class FakeState {
  readonly repositories = new Map<string, FakeRepository>();
  readonly comments = new Map<number, FakeComment>();
  readonly workflowRuns = new Map<number, FakeWorkflowRun>();
  readonly jobs = new Map<number, FakeJob>();
  readonly checkRuns = new Map<number, FakeCheckRun>();
  private readonly users = new Map<string, FakeUser>();
  private nextId = 1000;

  /** A fresh id; one sequence for everything keeps ids unique across kinds, as GitHub's are. */
  id(): number {
    return this.nextId++;
  }

  /** The account with this login (created on first use; `…[bot]` logins are bots). */
  user(login: string, type?: FakeUser['type']): FakeUser {
    const known = this.users.get(login.toLowerCase());
    if (known) return known;
    const user: FakeUser = { login, id: this.id(), type: type ?? (login.endsWith('[bot]') ? 'Bot' : 'User') };
    this.users.set(login.toLowerCase(), user);
    return user;
  }

  /** The repository `owner/name`, or undefined. */
  repository(fullName: string): FakeRepository | undefined {
    return this.repositories.get(fullName.toLowerCase());
  }

  /** An issue or pull request of a repository, or undefined. */
  issue(fullName: string, number: number): FakeIssue | undefined {
    return this.repository(fullName)?.issues.get(number);
  }

  /** Comments of an issue, oldest first. */
  issueComments(fullName: string, number: number): FakeComment[] {
    return [...this.comments.values()].filter(
      (comment) =>
        comment.repoFullName.toLowerCase() === fullName.toLowerCase() && comment.issueNumber === number,
    );
  }

  /** Pull requests of a repository, lowest number first. */
  pulls(fullName: string): FakeIssue[] {
    return [...(this.repository(fullName)?.issues.values() ?? [])].filter(
      (issue) => issue.pull !== undefined,
    );
  }

  /** Workflow runs, oldest first; of one repository when given. */
  runs(fullName?: string): FakeWorkflowRun[] {
    return [...this.workflowRuns.values()].filter(
      (run) => fullName === undefined || run.repoFullName.toLowerCase() === fullName.toLowerCase(),
    );
  }

  /** The jobs of a workflow run, in creation order. */
  runJobs(runId: number): FakeJob[] {
    return (this.workflowRuns.get(runId)?.jobIds ?? []).flatMap((id) => this.jobs.get(id) ?? []);
  }
}
