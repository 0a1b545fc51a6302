import type { CommandReply, Orchestrator, OrchestratorContext } from '../../core/orchestrate/orchestrator.ts';

/** One call the App made to the orchestrator. */
export interface OrchestratorCall {
  operation: keyof Orchestrator;
  context: OrchestratorContext;
  request: unknown;
}

/** A fake orchestrator that records every call and answers as the test says. */
export interface FakeOrchestrator {
  orchestrator: Orchestrator;
  calls: OrchestratorCall[];
  /** What every command operation answers (default: nothing to say). */
  reply: CommandReply;
  /** When set, every operation throws it. */
  error: unknown;
  /** Runs inside every operation before it answers (to hold it open in concurrency tests). */
  during: (call: OrchestratorCall) => Promise<void>;
}

/** A fresh {@link FakeOrchestrator}. */
export function fakeOrchestrator(): FakeOrchestrator {
  const fake: FakeOrchestrator = {
    calls: [],
    reply: {},
    error: undefined,
    during: async () => {},
    orchestrator: {
      startRun: (context, request) => answer('startRun', context, request),
      approveRun: (context, request) => answer('approveRun', context, request),
      showStatus: (context, request) => answer('showStatus', context, request),
      cancelRun: (context, request) => answer('cancelRun', context, request),
      retryTasks: (context, request) => answer('retryTasks', context, request),
      reconcileRun: async (context, request) => void (await answer('reconcileRun', context, request)),
      cleanupRun: async (context, request) => void (await answer('cleanupRun', context, request)),
    },
  };
  async function answer(
    operation: keyof Orchestrator,
    context: OrchestratorContext,
    request: unknown,
  ): Promise<CommandReply> {
    const call = { operation, context, request };
    fake.calls.push(call);
    await fake.during(call);
    if (fake.error !== undefined) throw fake.error;
    return fake.reply;
  }
  return fake;
}
