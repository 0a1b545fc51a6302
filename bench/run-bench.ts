#!/usr/bin/env node
/**
 * `npm run bench`: every speed target of the engine, as one JSON object on stdout. Not part of the tests: timings
 * belong here, never in timed tests.
 */
import { runActionClaudeStartupBench } from './action-claude-startup-bench.ts';
import { runActionStartupBench } from './action-startup-bench.ts';
import { runIntegrationBench } from './integration-bench.ts';
import { runLocalRunBench } from './local-run-bench.ts';
import { runScheduleBench } from './schedule-bench.ts';

const schedule = await runScheduleBench();
const localRun = await runLocalRunBench();
const integration = await runIntegrationBench();
const actionStartup = await runActionStartupBench();
const actionStartupClaudeCode = await runActionClaudeStartupBench();
const result = {
  date: new Date().toISOString(),
  node: process.version,
  schedule,
  localRun,
  integration,
  actionStartup,
  actionStartupClaudeCode,
  allTargetsMet:
    schedule.criticalPath.targets.met &&
    localRun.target.met &&
    integration.target.met &&
    actionStartup.target.met &&
    actionStartupClaudeCode.target.met,
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
