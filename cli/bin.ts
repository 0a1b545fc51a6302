#!/usr/bin/env node
// The executable. It checks the Node version before importing anything that might not load on an old Node, so an
// unsupported Node is refused before the run touches a repository. Keep this file to syntax every Node parses.
import { nodeVersionProblem } from './check-node-version.ts';

const problem = nodeVersionProblem(process.versions.node, process.execPath);
if (problem === undefined) {
  import('./run-cli.ts').then((cli) => cli.runCli());
} else {
  process.stderr.write(`${problem}\n`);
  process.exitCode = 2;
}
