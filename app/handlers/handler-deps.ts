import type { Orchestrator, OrchestratorContext } from '../../core/orchestrate/orchestrator.ts';

/**
 * What every handler works with: the orchestrator and the repository it acts in (an Octokit authenticated as the
 * installation, the validated configuration, the default branch, the trusted authors of run records, a logger).
 * Plain values, so handlers are tested without Probot.
 */
export interface HandlerDeps extends OrchestratorContext {
  orchestrator: Orchestrator;
}

/** The orchestrator's context: the deps without the orchestrator. */
export function orchestratorContext(deps: HandlerDeps): OrchestratorContext {
  const { orchestrator: _orchestrator, ...context } = deps;
  return context;
}
