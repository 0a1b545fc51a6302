import type { TaskState } from '../../core/report/report-model.ts';
import type { RunEvent } from '../../core/run/run-events.ts';
import type { OutputStream } from '../cli-io.ts';

/** Shows a run's progress to the person at the terminal. */
export interface Progress {
  onEvent(event: RunEvent): void;
  /** A line of information (e.g. where the plan came from). */
  note(message: string): void;
  /** Stops redrawing; called once at the end. */
  close(): void;
}

/**
 * Live progress on stderr: on a TTY one line per task with its state and elapsed time, redrawn in place; otherwise
 * plain, parseable lines (`<time> task <id> <state> [detail]`), one per change.
 */
export function createProgress(taskIds: string[], stream: OutputStream = process.stderr): Progress {
  return stream.isTTY ? new TtyProgress(taskIds, stream) : new PlainProgress(stream);
}

class PlainProgress implements Progress {
  readonly #stream: NodeJS.WritableStream;
  constructor(stream: NodeJS.WritableStream) {
    this.#stream = stream;
  }
  onEvent(event: RunEvent): void {
    const time = new Date().toISOString();
    const line =
      event.type === 'task-state'
        ? `task ${event.taskId} ${event.state}${event.detail ? ` ${event.detail}` : ''}`
        : event.type === 'verify'
          ? `verify ${event.state}${event.detail ? ` ${event.detail}` : ''}`
          : event.type === 'run-started'
            ? `run ${event.runId} started on ${event.integrationBranch} with ${event.tasks} task(s)`
            : `run ${event.runId} finished`;
    this.#stream.write(`${time} ${line}\n`);
  }
  note(message: string): void {
    this.#stream.write(`${new Date().toISOString()} ${message}\n`);
  }
  close(): void {}
}

const SYMBOL: Record<TaskState, string> = {
  pending: '·',
  running: '▶',
  integrating: '⇢',
  integrated: '✔',
  resolved: '✔',
  conflicted: '⚠',
  failed: '✖',
  skipped: '↷',
};

class TtyProgress implements Progress {
  readonly #stream: OutputStream;
  readonly #rows = new Map<string, { state: TaskState; since: number; detail?: string }>();
  readonly #timer: NodeJS.Timeout;
  #drawn = 0;
  #footer = '';

  constructor(taskIds: string[], stream: OutputStream) {
    this.#stream = stream;
    for (const id of taskIds) this.#rows.set(id, { state: 'pending', since: Date.now() });
    this.#timer = setInterval(() => this.#draw(), 1000);
    this.#timer.unref();
  }

  onEvent(event: RunEvent): void {
    if (event.type === 'task-state') {
      this.#rows.set(event.taskId, { state: event.state, since: Date.now(), detail: event.detail });
    } else if (event.type === 'verify') {
      this.#footer = `verify ${event.state}${event.detail ? `: ${event.detail}` : ''}`;
    }
    this.#draw();
  }

  note(message: string): void {
    this.#clear();
    this.#stream.write(`${message}\n`);
    this.#draw();
  }

  close(): void {
    clearInterval(this.#timer);
    this.#draw();
  }

  #clear(): void {
    if (this.#drawn > 0) this.#stream.write(`\x1b[${this.#drawn}A\x1b[0J`);
    this.#drawn = 0;
  }

  #draw(): void {
    this.#clear();
    const width = Math.max(...[...this.#rows.keys()].map((id) => id.length), 4);
    const lines = [...this.#rows.entries()].map(([id, row]) => {
      const seconds = Math.floor((Date.now() - row.since) / 1000);
      const elapsed = ['running', 'integrating'].includes(row.state) ? ` ${seconds}s` : '';
      const detail = row.detail ? `  ${row.detail}` : '';
      return `${SYMBOL[row.state]} ${id.padEnd(width)}  ${row.state}${elapsed}${detail}`.slice(
        0,
        this.#stream.columns || 120,
      );
    });
    if (this.#footer) lines.push(this.#footer);
    this.#stream.write(`${lines.join('\n')}\n`);
    this.#drawn = lines.length;
  }
}
