import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../core/config/config-schema.ts';
import { runConfigOf } from '../../core/orchestrate/run-start.ts';

const fileNow = ConfigSchema.parse({ max_parallel: 8, approval: 'none' });
const recorded = ConfigSchema.parse({ max_parallel: 2, approval: 'none', model: 'claude-opus-4-1' });

describe('runConfigOf', () => {
  it('takes the configuration recorded in the start entry over the file as it is now', () => {
    const config = runConfigOf(
      { source: 'block', requestedBy: 'octocat', needsApproval: false, config: recorded },
      fileNow,
    );
    expect(config).toMatchObject({ max_parallel: 2, model: 'claude-opus-4-1', approval: 'none' });
  });

  it('takes the file as it is now for a run started before the configuration was recorded', () => {
    const config = runConfigOf({ source: 'block', requestedBy: 'octocat', needsApproval: false }, fileNow);
    expect(config.max_parallel).toBe(8);
  });

  it('keeps a run started with `/cluster plan` waiting for approval whatever its configuration says', () => {
    const config = runConfigOf(
      { source: 'block', requestedBy: 'octocat', needsApproval: true, config: recorded },
      fileNow,
    );
    expect(config.approval).toBe('plan');
  });
});
