import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type ActionMetadata, ActionMetadataSchema } from '../../scripts/action-yml-schema.ts';
import { REPOSITORY_ROOT } from '../../scripts/build-action.ts';

/** The repository's `action.yml`, parsed with `yaml`, before any validation. */
export async function readActionYmlDocument(): Promise<unknown> {
  return parse(await readFile(join(REPOSITORY_ROOT, 'action.yml'), 'utf8'));
}

/** The repository's `action.yml`, validated by ActionMetadataSchema; throws listing every problem with its path. */
export async function readActionYml(): Promise<ActionMetadata> {
  const result = ActionMetadataSchema.safeParse(await readActionYmlDocument());
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  throw new Error(`action.yml does not match schema/action-yml.schema.json:\n${problems.join('\n')}`);
}
