import { describe, expect, it } from 'vitest';
import { type DockerInstruction, declaredNames, parseDockerfile } from './parse-dockerfile.ts';
import { readRepositoryFile } from './read-repository-file.ts';

const instructions = parseDockerfile(await readRepositoryFile('Dockerfile'));
const finalStage = Math.max(...instructions.map(({ stage }) => stage));
const ignoreRules = (await readRepositoryFile('.dockerignore'))
  .split(/\r?\n/)
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

function inStage(stage: number, keyword: string): DockerInstruction[] {
  return instructions.filter((instruction) => instruction.stage === stage && instruction.keyword === keyword);
}

/** Build-context sources of a COPY (not `--from` another stage): every word but options and the destination. */
function contextSources(copy: DockerInstruction): string[] {
  const words = copy.args.split(/\s+/);
  if (words.some((word) => word.startsWith('--from='))) return [];
  return words.filter((word) => !word.startsWith('--')).slice(0, -1);
}

describe('parseDockerfile', () => {
  it('joins continued lines, drops comments and numbers the stages', () => {
    const parsed = parseDockerfile('# base\nFROM a AS b\nRUN one \\\n  && two\nfrom c\nUSER x\n');
    expect(parsed).toEqual([
      { keyword: 'FROM', args: 'a AS b', stage: 0 },
      { keyword: 'RUN', args: 'one && two', stage: 0 },
      { keyword: 'FROM', args: 'c', stage: 1 },
      { keyword: 'USER', args: 'x', stage: 1 },
    ]);
  });
});

describe('Dockerfile', () => {
  it('builds every stage from Node 24 slim', () => {
    const froms = instructions.filter(({ keyword }) => keyword === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from.args).toMatch(/^node:24-slim\b/);
  });

  it('installs production dependencies from the lockfile, copied before the install', () => {
    const npmCi = instructions.findIndex(({ keyword, args }) => keyword === 'RUN' && /\bnpm ci\b/.test(args));
    const lockfile = instructions.findIndex(
      ({ keyword, args }) => keyword === 'COPY' && args.split(/\s+/).includes('package-lock.json'),
    );
    expect(npmCi, 'a RUN npm ci').toBeGreaterThanOrEqual(0);
    expect(lockfile, 'a COPY of package-lock.json').toBeGreaterThanOrEqual(0);
    expect(lockfile).toBeLessThan(npmCi);
    expect(instructions[npmCi]?.args).toContain('--omit=dev');
    expect(instructions.some(({ args }) => /\bnpm install\b/.test(args))).toBe(false);
  });

  it('runs the final image as an unprivileged user', () => {
    const users = inStage(finalStage, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)?.args).not.toMatch(/^(root|0)(:|$)/);
  });

  it('installs git in the final image, for the engine', () => {
    expect(inStage(finalStage, 'RUN').some(({ args }) => /apt-get install\b.*\bgit\b/.test(args))).toBe(true);
  });

  it('bakes no secret into ENV or ARG', () => {
    const declared = instructions
      .filter(({ keyword }) => keyword === 'ENV' || keyword === 'ARG')
      .flatMap((instruction) => declaredNames(instruction));
    expect(declared.length).toBeGreaterThan(0);
    for (const name of declared) expect(name).not.toMatch(/KEY|SECRET|TOKEN|PASSWORD|PEM|APP_ID/i);
  });

  it('listens on every interface, so the published port reaches Probot', () => {
    const env = inStage(finalStage, 'ENV')
      .map(({ args }) => args)
      .join(' ');
    expect(env).toMatch(/\bHOST=0\.0\.0\.0\b/);
  });

  it('starts the App with probot run, in exec form', () => {
    const [cmd] = inStage(finalStage, 'CMD');
    expect(JSON.parse(cmd?.args ?? 'null')).toEqual([
      'node',
      'node_modules/probot/bin/probot.js',
      'run',
      './app/index.ts',
    ]);
  });

  it('checks its health on Probot’s /ping', () => {
    expect(inStage(finalStage, 'HEALTHCHECK')[0]?.args).toContain('/ping');
  });
});

describe('.dockerignore', () => {
  it('ignores everything first, so nothing unlisted (.env, keys, node_modules, .git) reaches the build', () => {
    expect(ignoreRules[0]).toBe('*');
  });

  it('lets in exactly what the Dockerfile copies from the build context', () => {
    const allowed = ignoreRules
      .filter((rule) => rule.startsWith('!'))
      .map((rule) => rule.slice(1).replace(/\/$/, ''));
    const copied = instructions.filter(({ keyword }) => keyword === 'COPY').flatMap(contextSources);
    expect([...new Set(copied)].sort()).toEqual([...allowed].sort());
  });

  it('keeps secrets out even inside the folders it lets in', () => {
    expect(ignoreRules).toEqual(expect.arrayContaining(['**/.env', '**/*.pem']));
  });
});
