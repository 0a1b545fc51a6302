import { createOrchestrator } from '../core/orchestrate/create-orchestrator.ts';
import { receiveWorkflowEvent } from './receive-workflow-event.ts';

// Zero-hosting entry (`node app/run-in-workflow.ts`): no logic here; a failure fails the step with its message.
try {
  await receiveWorkflowEvent({ env: process.env, orchestrator: createOrchestrator() });
} catch (error) {
  console.error(`claude-cluster: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
