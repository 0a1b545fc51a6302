import { type Logger, pino } from 'pino';

/**
 * The engine's structured logger: JSON lines on stderr, level from `CLUSTER_LOG_LEVEL` (default `warn`). User-facing
 * text goes through each entry point's reporter, not through here.
 */
export function createLogger(name: string, level = process.env.CLUSTER_LOG_LEVEL ?? 'warn'): Logger {
  return pino({ name, level }, pino.destination({ fd: 2, sync: true }));
}

export type { Logger };
