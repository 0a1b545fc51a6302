import { afterEach, describe, expect, it } from 'vitest';
import { type FakeMessagesApi, startFakeMessagesApi } from './fake-messages-api.ts';
import type { FakeScript } from './fake-script.ts';

let api: FakeMessagesApi | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function start(script: FakeScript): Promise<FakeMessagesApi> {
  api = await startFakeMessagesApi(script);
  return api;
}

function post(path: string, body: unknown): Promise<Response> {
  if (api === undefined) throw new Error('start the fake first');
  return fetch(`${api.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const withTools = { model: 'claude-test', max_tokens: 100, messages: [], tools: [{ name: 'Write' }] };

describe('startFakeMessagesApi', () => {
  describe('with a streaming request from the main conversation', () => {
    it('streams the next turn as message, content block and stop events', async () => {
      await start({
        turns: [
          {
            blocks: [
              { type: 'text', text: 'Writing.' },
              { type: 'tool_use', name: 'Write', input: { file_path: 'a.txt', content: 'a' } },
            ],
          },
        ],
      });

      const response = await post('/v1/messages', { ...withTools, stream: true });
      const events = (await response.text()).split('\n').filter((line) => line.startsWith('event: '));

      expect(response.headers.get('content-type')).toBe('text/event-stream');
      expect(events.map((line) => line.slice('event: '.length))).toEqual([
        'message_start',
        'content_block_start',
        'content_block_delta',
        'content_block_stop',
        'content_block_start',
        'content_block_delta',
        'content_block_stop',
        'message_delta',
        'message_stop',
      ]);
    });

    it('carries the tool input as input_json_delta and stops for tool use', async () => {
      await start({
        turns: [{ blocks: [{ type: 'tool_use', name: 'Write', input: { file_path: 'a.txt' } }] }],
      });

      const text = await (await post('/v1/messages', { ...withTools, stream: true })).text();

      expect(text).toContain('"type":"input_json_delta","partial_json":"{\\"file_path\\":\\"a.txt\\"}"');
      expect(text).toContain('"stop_reason":"tool_use"');
    });
  });

  describe('with side requests that offer no tools', () => {
    it('answers them with a short text and keeps the turns for the main conversation', async () => {
      await start({ turns: [{ blocks: [{ type: 'text', text: 'first turn' }] }] });

      const side = await (
        await post('/v1/messages', { model: 'claude-test', max_tokens: 1, messages: [] })
      ).json();
      const main = await (await post('/v1/messages', withTools)).json();

      expect(side).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'ok' }] });
      expect(main).toMatchObject({
        type: 'message',
        model: 'claude-test',
        content: [{ type: 'text', text: 'first turn' }],
        stop_reason: 'end_turn',
      });
      expect(api?.requests.map((r) => r.scripted)).toEqual([false, true]);
    });
  });

  describe('with an error turn', () => {
    it('answers with the status and an API error body', async () => {
      await start({ turns: [{ errorStatus: 529, errorMessage: 'overloaded' }] });

      const response = await post('/v1/messages', withTools);

      expect(response.status).toBe(529);
      expect(await response.json()).toEqual({
        type: 'error',
        error: { type: 'api_error', message: 'overloaded' },
      });
    });
  });

  describe('once the turns run out', () => {
    it('answers with whenExhausted', async () => {
      await start({ turns: [], whenExhausted: { blocks: [{ type: 'text', text: 'again' }] } });

      await post('/v1/messages', withTools);
      const second = await (await post('/v1/messages', withTools)).json();

      expect(second).toMatchObject({ content: [{ type: 'text', text: 'again' }] });
    });
  });

  describe('with a path it does not implement', () => {
    it('answers 404 and lists the path', async () => {
      await start({ turns: [] });

      const response = await post('/api/hello', {});

      expect(response.status).toBe(404);
      expect(api?.unknownPaths).toEqual(['POST /api/hello']);
    });
  });
});
