import type { ApplicationFunction } from 'probot';
import { createOrchestrator } from '../core/orchestrate/create-orchestrator.ts';
import { createApp } from './create-app.ts';

/**
 * The GitHub App, as `probot run ./app/index.ts` loads it: the event routing of createApp with the real
 * orchestrator. No logic here.
 */
const app: ApplicationFunction = (probot, options) =>
  createApp({ orchestrator: createOrchestrator() })(probot, options);

export default app;
