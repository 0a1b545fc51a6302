/**
 * Writes `test/github-spec/api-subset.json` and `test/github-spec/webhooks-subset.json`: the REST operations and
 * webhook events listed in `test/github-spec/used-operations.ts`, copied from GitHub's published descriptions
 * (npm `@octokit/openapi`, `@octokit/openapi-webhooks`) with every component they reference, so each subset stands
 * alone. The packages (about 420 MB) are installed into a temporary folder and deleted afterwards: they are never a
 * dependency of the project. Run `npm run github-spec`; the fake GitHub validates its traffic against the output.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { USED_OPERATIONS, USED_WEBHOOKS } from '../test/github-spec/used-operations.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** The descriptions' versions: bump them on purpose (and rerun), so the subset changes only when asked to. */
const PACKAGES = ['@octokit/openapi@23.0.2', '@octokit/openapi-webhooks@12.1.0'];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test', 'github-spec');

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy without `example`/`examples` annotations (large, unused for validation); property names are kept. */
function stripExamples(value: Json, underProperties = false): Json {
  if (Array.isArray(value)) return value.map((item) => stripExamples(item));
  if (!isObject(value)) return value;
  const copy: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (!underProperties && (key === 'example' || key === 'examples')) continue;
    copy[key] = stripExamples(child, !underProperties && key === 'properties');
  }
  return copy;
}

/** Copies into `into.components` every component `value` references, transitively. */
function copyReferences(value: Json, source: JsonObject, into: JsonObject): void {
  if (Array.isArray(value)) {
    for (const item of value) copyReferences(item, source, into);
    return;
  }
  if (!isObject(value)) return;
  const ref = value.$ref;
  if (typeof ref === 'string') {
    const match = /^#\/components\/([^/]+)\/([^/]+)$/.exec(ref);
    if (!match) throw new Error(`unexpected $ref ${ref}: only #/components/<kind>/<name> is supported`);
    const [, kind = '', name = ''] = match;
    const components = into.components as JsonObject;
    const target = (isObject(components[kind]) ? components[kind] : {}) as JsonObject;
    components[kind] = target;
    if (!(name in target)) {
      const found = ((source.components as JsonObject)[kind] as JsonObject | undefined)?.[name];
      if (found === undefined) throw new Error(`${ref} is missing from the published description`);
      const stripped = stripExamples(found);
      target[name] = stripped;
      copyReferences(stripped, source, into);
    }
  }
  for (const child of Object.values(value)) copyReferences(child, source, into);
}

/** Sorts the keys of each components section so reruns give the same file. */
function sortComponents(document: JsonObject): void {
  const components = document.components as JsonObject;
  for (const kind of Object.keys(components).sort()) {
    const section = components[kind] as JsonObject;
    delete components[kind];
    components[kind] = Object.fromEntries(
      Object.keys(section)
        .sort()
        .map((name) => [name, section[name] ?? null]),
    );
  }
}

function apiSubset(full: JsonObject): JsonObject {
  const paths = full.paths as JsonObject;
  const subset: JsonObject = {
    openapi: full.openapi ?? null,
    info: full.info ?? null,
    paths: {},
    components: {},
  };
  for (const operation of Object.keys(USED_OPERATIONS).sort()) {
    const [method = '', path = ''] = operation.split(' ');
    const found = (paths[path] as JsonObject | undefined)?.[method.toLowerCase()];
    if (found === undefined)
      throw new Error(`${operation} is not in api.github.com's description: fix used-operations.ts`);
    const copy = stripExamples(found);
    const subsetPaths = subset.paths as JsonObject;
    const pathItem = (isObject(subsetPaths[path]) ? subsetPaths[path] : {}) as JsonObject;
    pathItem[method.toLowerCase()] = copy;
    subsetPaths[path] = pathItem;
    copyReferences(copy, full, subset);
  }
  sortComponents(subset);
  return subset;
}

function webhooksSubset(full: JsonObject): JsonObject {
  const webhooks = full.webhooks as JsonObject;
  const subset: JsonObject = {
    openapi: full.openapi ?? null,
    info: full.info ?? null,
    webhooks: {},
    components: {},
  };
  for (const webhook of USED_WEBHOOKS) {
    const operationId = webhook.replaceAll('_', '-').replace('.', '/');
    const found = Object.entries(webhooks).find(
      ([, item]) => isObject(item) && isObject(item.post) && item.post.operationId === operationId,
    );
    if (found === undefined)
      throw new Error(`no webhook ${webhook} in the published description: fix used-operations.ts`);
    const copy = stripExamples(found[1]);
    (subset.webhooks as JsonObject)[found[0]] = copy;
    copyReferences(copy, full, subset);
  }
  subset.webhooks = Object.fromEntries(
    Object.entries(subset.webhooks as JsonObject).sort(([a], [b]) => a.localeCompare(b)),
  );
  sortComponents(subset);
  return subset;
}

function readJson(file: string): JsonObject {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Json;
  if (!isObject(parsed)) throw new Error(`${file} is not a JSON object`);
  return parsed;
}

const folder = mkdtempSync(join(tmpdir(), 'github-spec-'));
try {
  console.log(`installing ${PACKAGES.join(' and ')} into ${folder}`);
  execFileSync('npm', ['install', '--prefix', folder, '--no-save', '--no-audit', '--no-fund', ...PACKAGES], {
    stdio: 'inherit',
  });
  const modules = join(folder, 'node_modules', '@octokit');
  const versions = ['openapi', 'openapi-webhooks'].map(
    (name) => `@octokit/${name}@${readJson(join(modules, name, 'package.json')).version}`,
  );
  const api = apiSubset(readJson(join(modules, 'openapi', 'generated', 'api.github.com.json')));
  const hooks = webhooksSubset(
    readJson(join(modules, 'openapi-webhooks', 'generated', 'api.github.com.json')),
  );
  for (const [name, document] of [
    ['api-subset.json', api],
    ['webhooks-subset.json', hooks],
  ] as const) {
    document['x-source'] = `${versions.join(', ')}; written by scripts/write-github-spec.ts, do not edit`;
    writeFileSync(join(outDir, name), `${JSON.stringify(document, null, 2)}\n`);
  }
  console.log(
    `wrote ${Object.keys(USED_OPERATIONS).length} operations and ${Object.keys(hooks.webhooks as JsonObject).length} webhooks to ${outDir}`,
  );
} finally {
  rmSync(folder, { recursive: true, force: true });
}
