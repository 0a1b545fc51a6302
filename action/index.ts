// The action's entry: wiring only. Behaviour lives in run-action.ts and the engine.
import { runAction } from './run-action.ts';

await runAction();
