#!/usr/bin/env node
import { cancelOnSignals } from './cancel-on-signals.ts';
// The executable: wiring only. Behaviour lives in main.ts and the engine.
import { main } from './main.ts';

const signal = cancelOnSignals(process.stderr);
process.exitCode = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  signal,
});
