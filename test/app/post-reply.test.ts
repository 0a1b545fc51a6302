import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { postReply } from '../../app/post-reply.ts';
import { GITHUB_BODY_LIMIT } from '../../core/report/fit-to-length.ts';
import { API, testOctokit } from '../github/github-api.ts';
import { mockReplies, OWNER, REPO } from './github-mocks.ts';

describe('postReply', () => {
  describe('with a body over GitHub’s limit', () => {
    it('cuts it at a line boundary and says so', async () => {
      const replies = mockReplies(3);
      const line = `${'x'.repeat(99)}\n`;
      await postReply(
        { octokit: testOctokit(), owner: OWNER, repo: REPO, issueNumber: 3 },
        line.repeat(1000),
      );
      expect(replies[0]?.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
      expect(replies[0]).toMatch(/x\n\n_\(cut to fit GitHub’s comment limit\)_$/);
    });
  });

  describe('when GitHub refuses the comment', () => {
    it('throws with the status', async () => {
      nock(API).post(`/repos/${OWNER}/${REPO}/issues/3/comments`).reply(403, { message: 'locked' });
      await expect(
        postReply({ octokit: testOctokit(), owner: OWNER, repo: REPO, issueNumber: 3 }, 'hello'),
      ).rejects.toMatchObject({ status: 403 });
    });
  });
});
