/**
 * Turns the first Ctrl-C (SIGINT) or SIGTERM into a graceful cancel: agents are stopped, what was done is recorded and
 * the worktrees are removed. A second one exits at once with 130.
 */
export function cancelOnSignals(stderr: NodeJS.WritableStream): AbortSignal {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    stderr.write(
      '\nclaude-cluster: stopping the agents and cleaning up (press Ctrl-C again to quit at once)\n',
    );
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}
