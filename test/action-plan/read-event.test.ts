import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEvent, readEvent } from '../../action/read-event.ts';
import { EnvironmentError, InputError } from '../../core/errors/errors.ts';
import { webhookExample } from '../github/webhook-examples.ts';

describe('parseEvent', () => {
  describe('with an issues.labeled payload', () => {
    it('keeps the issue and repository fields the action relies on', () => {
      expect(parseEvent(webhookExample('issues', 'labeled'))).toEqual({
        repository: {
          name: 'Hello-World',
          full_name: 'Codertocat/Hello-World',
          owner: { login: 'Codertocat' },
          default_branch: 'master',
        },
        issue: {
          number: 1,
          title: 'Spelling error in the README file',
          body: "It looks like you accidently spelled 'commit' with two 't's.",
        },
      });
    });
  });

  describe('with an issue_comment payload on a pull request', () => {
    it('marks the issue as a pull request', () => {
      const payload = webhookExample('issue_comment', 'created');
      payload.issue.pull_request = {
        url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/1',
        html_url: 'https://github.com/Codertocat/Hello-World/pull/1',
        diff_url: 'https://github.com/Codertocat/Hello-World/pull/1.diff',
        patch_url: 'https://github.com/Codertocat/Hello-World/pull/1.patch',
      };
      expect(parseEvent(payload).issue?.pull_request).toMatchObject({
        url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/1',
      });
    });
  });

  describe('with a pull_request payload', () => {
    it("keeps the pull request's number, head and base", () => {
      const payload = webhookExample('pull_request', 'opened');
      const event = parseEvent(payload);
      expect(event.pull_request).toEqual({
        number: 2,
        head: {
          ref: 'changes',
          sha: payload.pull_request.head.sha,
          repo: { full_name: 'Codertocat/Hello-World' },
        },
        base: {
          ref: 'master',
          sha: payload.pull_request.base.sha,
          repo: { full_name: 'Codertocat/Hello-World' },
        },
      });
      expect(event.issue).toBeUndefined();
    });
  });

  describe('with a workflow_dispatch payload', () => {
    it('keeps the inputs and has no issue', () => {
      const payload = { ...webhookExample('workflow_dispatch'), inputs: { 'run-id': 'r1' } };
      const event = parseEvent(payload);
      expect(event.inputs).toEqual({ 'run-id': 'r1' });
      expect(event.repository.default_branch).toBe('main');
      expect(event.issue).toBeUndefined();
    });
  });

  describe('with a payload that lacks the repository', () => {
    it('throws an InputError naming the missing field', () => {
      const { repository: _dropped, ...payload } = webhookExample('issues', 'labeled');
      let error: unknown;
      try {
        parseEvent(payload);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems).toEqual([expect.stringContaining('`repository`')]);
    });
  });

  describe('with a mistyped issue number', () => {
    it('names the field', () => {
      const payload = webhookExample('issues', 'labeled') as unknown as { issue: { number: unknown } };
      payload.issue.number = '1';
      expect(() => parseEvent(payload)).toThrow(/`issue\.number`/);
    });
  });
});

describe('readEvent', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'read-event-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('with GITHUB_EVENT_PATH pointing at a payload', () => {
    it('reads and validates it', async () => {
      const path = join(dir, 'event.json');
      await writeFile(path, JSON.stringify(webhookExample('issues', 'labeled')));
      const event = await readEvent({ GITHUB_EVENT_PATH: path });
      expect(event.issue?.number).toBe(1);
    });
  });

  describe('without GITHUB_EVENT_PATH', () => {
    it('throws an EnvironmentError saying the runner sets it', async () => {
      await expect(readEvent({})).rejects.toThrow(EnvironmentError);
      await expect(readEvent({})).rejects.toThrow(/GITHUB_EVENT_PATH is not set/);
    });
  });

  describe('with a file that is missing or not JSON', () => {
    it('throws an EnvironmentError naming the file', async () => {
      const path = join(dir, 'event.json');
      await expect(readEvent({ GITHUB_EVENT_PATH: path })).rejects.toThrow(
        `cannot read the event file ${path}`,
      );
      await writeFile(path, '{"repository":');
      await expect(readEvent({ GITHUB_EVENT_PATH: path })).rejects.toThrow(
        `the event file ${path} (GITHUB_EVENT_PATH) is not JSON`,
      );
    });
  });
});
