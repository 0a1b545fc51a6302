/**
 * Writes one fake assistant message in the two shapes the Messages API answers with: server-sent events
 * for `stream: true`, one JSON object otherwise.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FakeBlock } from './fake-script.ts';

/** Token counts the fake reports; non-zero so the CLI computes a cost. */
const usage = {
  input_tokens: 100,
  output_tokens: 20,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};

type ApiBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

function toApiBlocks(blocks: FakeBlock[]): ApiBlock[] {
  return blocks.map((block) =>
    block.type === 'text'
      ? block
      : {
          type: 'tool_use',
          id: `toolu_${randomUUID().replaceAll('-', '')}`,
          name: block.name,
          input: block.input,
        },
  );
}

function stopReason(blocks: FakeBlock[]): 'tool_use' | 'end_turn' {
  return blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
}

function messageId(): string {
  return `msg_${randomUUID().replaceAll('-', '')}`;
}

/** Answers with the whole message as one JSON body (non-streaming request). */
export function writeMessageJson(res: ServerResponse, model: string, blocks: FakeBlock[]): void {
  const message = {
    id: messageId(),
    type: 'message',
    role: 'assistant',
    model,
    content: toApiBlocks(blocks),
    stop_reason: stopReason(blocks),
    stop_sequence: null,
    usage,
  };
  res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${randomUUID()}` });
  res.end(JSON.stringify(message));
}

/** Answers with the message as server-sent events, the way the real API streams it. */
export function writeMessageEvents(res: ServerResponse, model: string, blocks: FakeBlock[]): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'request-id': `req_${randomUUID()}`,
  });
  const send = (event: string, data: unknown): void => {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  send('message_start', {
    type: 'message_start',
    message: {
      id: messageId(),
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...usage, output_tokens: 1 },
    },
  });
  toApiBlocks(blocks).forEach((block, index) => {
    if (block.type === 'text') {
      send('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'text', text: '' },
      });
      send('content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'text_delta', text: block.text },
      });
    } else {
      send('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      });
      send('content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) },
      });
    }
    send('content_block_stop', { type: 'content_block_stop', index });
  });
  send('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: stopReason(blocks), stop_sequence: null },
    usage: { output_tokens: usage.output_tokens },
  });
  send('message_stop', { type: 'message_stop' });
  res.end();
}
