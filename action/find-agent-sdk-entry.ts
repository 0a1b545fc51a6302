import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The npm package of the Claude Agent SDK. Its licence forbids redistribution, so the action never bundles it: it
 * is installed at run time beside the CLI and imported from there.
 */
export const AGENT_SDK_PACKAGE = '@anthropic-ai/claude-agent-sdk';

const ExportTargetSchema = z.union([
  z.string(),
  z.object({ import: z.string().optional(), default: z.string().optional() }),
]);
const AgentSdkManifestSchema = z.object({
  version: z.string(),
  main: z.string().optional(),
  exports: z.union([z.string(), z.object({ '.': ExportTargetSchema.optional() })]).optional(),
});

/**
 * The agent SDK's ES module entry in `packageDir`, as its manifest's `exports['.']` names it (else `main`), when the
 * manifest says `version`; otherwise the reason it is not usable.
 */
export async function findAgentSdkEntry(
  packageDir: string,
  version: string,
): Promise<{ entry: string } | { ok: false; reason: string }> {
  let manifest: z.infer<typeof AgentSdkManifestSchema>;
  try {
    manifest = AgentSdkManifestSchema.parse(
      JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')),
    );
  } catch (error) {
    return {
      ok: false,
      reason: `no readable ${AGENT_SDK_PACKAGE} under ${packageDir} (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  if (manifest.version !== version) {
    return {
      ok: false,
      reason: `${AGENT_SDK_PACKAGE} under ${packageDir} is ${manifest.version}, not ${version}`,
    };
  }
  const root = typeof manifest.exports === 'string' ? manifest.exports : manifest.exports?.['.'];
  const target = typeof root === 'string' ? root : (root?.import ?? root?.default ?? manifest.main);
  if (target === undefined) return { ok: false, reason: `${AGENT_SDK_PACKAGE} ${version} names no entry` };
  const entry = join(packageDir, target);
  try {
    await access(entry, constants.R_OK);
  } catch {
    return { ok: false, reason: `the ${AGENT_SDK_PACKAGE} entry ${entry} is missing` };
  }
  return { entry };
}
