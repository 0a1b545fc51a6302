import { z } from 'zod';
import { type Config, ConfigSchema } from '../core/config/config-schema.ts';
import { CONFIG_PATH, parseConfig } from '../core/config/load-config.ts';
import { parseYamlText } from '../core/config/parse-yaml-text.ts';
import { InputError } from '../core/errors/errors.ts';
import { type Octokit, requestStatus } from '../core/github/octokit-types.ts';

/** The words that address the App: what a comment or label must say, even when the rest of the config is invalid. */
export interface TriggerWords {
  command: string;
  label: string;
}

/** A repository's configuration, or why it cannot be used. */
export type RepoConfig =
  | { ok: true; config: Config; triggers: TriggerWords }
  | { ok: false; error: InputError; triggers: TriggerWords };

/** The repository to read the configuration of. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** The org-wide fallback lives in the owner's `.github` repository, at the same path (as Probot's `context.config`). */
const ORG_CONFIG_REPO = '.github';

const FileSchema = z.object({ type: z.literal('file'), encoding: z.string(), content: z.string() });

/** Each trigger word on its own: a valid `command` still addresses the App when another key is broken. */
const TriggerWordsSchema = z.object({
  command: ConfigSchema.shape.command.catch('cluster'),
  label: ConfigSchema.shape.label.catch('cluster'),
});

const DEFAULT_TRIGGERS: TriggerWords = TriggerWordsSchema.parse({});

/**
 * Reads `.github/claude-cluster.yml` from the repository's default branch, else from the owner's `.github`
 * repository, else uses the defaults, and validates it with the engine's `parseConfig` on the raw text so errors
 * keep their line numbers. An invalid file is returned as `ok: false` with the InputError (every problem with its
 * line and fix) and the trigger words still readable from it; failures to reach GitHub are thrown.
 */
export async function loadRepoConfig(octokit: Octokit, ref: RepoRef): Promise<RepoConfig> {
  const sources = [
    { owner: ref.owner, repo: ref.repo, name: CONFIG_PATH },
    ...(ref.repo.toLowerCase() === ORG_CONFIG_REPO
      ? []
      : [
          { owner: ref.owner, repo: ORG_CONFIG_REPO, name: `${ref.owner}/${ORG_CONFIG_REPO}:${CONFIG_PATH}` },
        ]),
  ];
  for (const source of sources) {
    const text = await readConfigText(octokit, source);
    if (text instanceof InputError) return { ok: false, error: text, triggers: DEFAULT_TRIGGERS };
    if (text !== undefined) return parseRepoConfig(text, source.name);
  }
  return parseRepoConfig('', CONFIG_PATH);
}

function parseRepoConfig(text: string, sourceName: string): RepoConfig {
  try {
    const config = parseConfig(text, sourceName);
    return { ok: true, config, triggers: { command: config.command, label: config.label } };
  } catch (error) {
    if (error instanceof InputError) return { ok: false, error, triggers: readTriggerWords(text) };
    throw error;
  }
}

/** The file's text; undefined when there is none; an InputError when what is there cannot be a configuration. */
async function readConfigText(
  octokit: Octokit,
  source: { owner: string; repo: string; name: string },
): Promise<string | InputError | undefined> {
  let data: unknown;
  try {
    ({ data } = await octokit.rest.repos.getContent({
      owner: source.owner,
      repo: source.repo,
      path: CONFIG_PATH,
    }));
  } catch (error) {
    if (requestStatus(error) === 404) return undefined;
    throw error;
  }
  const file = FileSchema.safeParse(data);
  if (!file.success) {
    return new InputError(`${source.name} is not a file`, [`make ${source.name} a YAML file, or remove it`]);
  }
  if (file.data.encoding !== 'base64') {
    // The contents API leaves out files over 1 MB; a configuration is a page of settings.
    return new InputError(`${source.name} is too large to be a configuration`, [
      `keep only the settings that differ from the defaults in ${source.name}`,
    ]);
  }
  return Buffer.from(file.data.content, 'base64').toString('utf8');
}

function readTriggerWords(text: string): TriggerWords {
  const parsed = parseYamlText(text, { label: CONFIG_PATH, maxBytes: 64 * 1024, oversizeFix: '' });
  const value = parsed.ok && typeof parsed.value === 'object' && parsed.value !== null ? parsed.value : {};
  return TriggerWordsSchema.parse(value);
}
