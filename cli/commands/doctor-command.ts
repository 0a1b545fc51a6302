import type { CliIo } from '../cli-io.ts';
import { DoctorOptionsSchema, parseOptions } from '../cli-options.ts';
import { createMachineProbes } from '../doctor/create-machine-probes.ts';
import { type DoctorProbes, runDoctorChecks } from '../doctor/doctor-checks.ts';
import { renderDoctorReport } from '../doctor/render-doctor-report.ts';

/**
 * `claude-cluster doctor`: checks what a first run needs (Node, git, the agent, the repository, the configuration,
 * the GitHub workflow) and prints each with ✓ or ✗ and how to fix a miss. Exits 0 when nothing failed, 1 otherwise.
 * `probes` replaces the machine in tests.
 */
export async function doctorCommand(rawOptions: unknown, io: CliIo, probes?: DoctorProbes): Promise<number> {
  const options = parseOptions(DoctorOptionsSchema, rawOptions);
  const results = await runDoctorChecks(
    probes ??
      createMachineProbes({
        repo: options.repo,
        base: options.base,
        agent: options.agent,
        config: options.config,
        env: process.env,
      }),
  );
  const ok = results.every((result) => result.status !== 'fail');
  io.stdout.write(
    options.json ? `${JSON.stringify({ ok, checks: results }, null, 2)}\n` : renderDoctorReport(results),
  );
  return ok ? 0 : 1;
}
