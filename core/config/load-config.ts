import { readFile } from 'node:fs/promises';
import { EnvironmentError, InputError } from '../errors/errors.ts';
import { type Config, ConfigSchema } from './config-schema.ts';
import { describeZodIssues } from './describe-zod-issue.ts';
import { lineOfPath } from './locate-yaml-path.ts';
import { parseYamlText } from './parse-yaml-text.ts';

/** Where the configuration lives in a repository. */
export const CONFIG_PATH = '.github/claude-cluster.yml';

/** A configuration is a page of settings; anything near this size is a mistake, not a config. */
const MAX_CONFIG_BYTES = 64 * 1024;

/**
 * Parses the text of `.github/claude-cluster.yml` into a Config with defaults applied. An empty file, or
 * one with only comments, yields the defaults. Throws InputError listing every problem, each with the
 * file name, line and key: "… line 3: `max_paralel` is not a known key; did you mean `max_parallel`?".
 */
export function parseConfig(text: string, sourceName = CONFIG_PATH): Config {
  const parsed = parseYamlText(text, {
    label: sourceName,
    maxBytes: MAX_CONFIG_BYTES,
    oversizeFix: 'keep only the settings that differ from the defaults',
  });
  if (!parsed.ok) throw new InputError(`${sourceName} is not valid YAML`, parsed.problems);
  // An empty document (or only comments) parses to null: every setting keeps its default.
  const value = parsed.value ?? {};
  const result = ConfigSchema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const problems = describeZodIssues(result.error.issues, ConfigSchema, 'the configuration')
    .map((issue) => ({ line: lineOfPath(parsed.document, parsed.lineCounter, issue.path), issue }))
    .sort((a, b) => a.line - b.line)
    .map(({ line, issue }) => `${sourceName} line ${line}: ${issue.message}`);
  throw new InputError(`${sourceName} is invalid`, problems);
}

/**
 * Reads and parses a configuration file. A missing file means the defaults; a file that exists but cannot
 * be read is an EnvironmentError; invalid content is an InputError (see parseConfig).
 */
export async function loadConfigFile(path: string, sourceName = path): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return parseConfig('', sourceName);
    throw new EnvironmentError(
      `cannot read the configuration ${path} (${code ?? String(error)}); make it a readable file or remove it to use the defaults`,
    );
  }
  return parseConfig(text, sourceName);
}
