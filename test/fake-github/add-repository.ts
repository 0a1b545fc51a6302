import { createBareRepository } from './create-bare-repository.ts';
import {
  CI_WORKFLOW,
  CI_WORKFLOW_PATH,
  CLUSTER_WORKFLOW,
  type RepositoryOptions,
} from './fake-github-options.ts';
import type { FakeRepository, FakeState } from './fake-state.ts';

/**
 * Creates a repository (owned by an organization) backed by a new bare git repository under `reposRoot`, with the
 * claude-cluster workflow in `.github/workflows/` unless `workflow: false`.
 */
export async function addRepository(
  state: FakeState,
  reposRoot: string,
  options: RepositoryOptions,
): Promise<FakeRepository> {
  const [owner = 'octo', name = 'widgets'] = (options.fullName ?? 'octo/widgets').split('/');
  if (state.repository(`${owner}/${name}`)) throw new Error(`the fake GitHub already has ${owner}/${name}`);
  const defaultBranch = options.defaultBranch ?? 'main';
  const workflow = options.workflow ?? CLUSTER_WORKFLOW;
  const files = {
    ...(options.files ?? { 'README.md': `# ${name}\n` }),
    ...(workflow === false ? {} : { '.github/workflows/claude-cluster.yml': workflow }),
    ...(options.ci === true ? { [CI_WORKFLOW_PATH]: CI_WORKFLOW } : {}),
  };
  const bareDir = await createBareRepository({ root: reposRoot, owner, name, defaultBranch, files });
  const repo: FakeRepository = {
    id: state.id(),
    owner: state.user(owner, 'Organization'),
    name,
    fullName: `${owner}/${name}`,
    defaultBranch,
    bareDir,
    private: options.private ?? true,
    collaborators: new Map(
      Object.entries(options.collaborators ?? {}).map(([login, role]) => [login.toLowerCase(), role]),
    ),
    labels: new Map(),
    nextNumber: 1,
    issues: new Map(),
    rejectRunDetails: false,
    workflowIds: new Map(),
  };
  state.repositories.set(repo.fullName.toLowerCase(), repo);
  return repo;
}
