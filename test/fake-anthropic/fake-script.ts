/** The script a fake Messages API follows: what the fake model answers, turn by turn. */
import { z } from 'zod';

/** One content block the fake model answers with. */
export const fakeBlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('tool_use'), name: z.string(), input: z.record(z.string(), z.unknown()) }),
]);
export type FakeBlock = z.infer<typeof fakeBlockSchema>;

/** One answer of the main conversation: content blocks, or an HTTP error status instead. */
export const fakeTurnSchema = z.union([
  z.object({ blocks: z.array(fakeBlockSchema).min(1) }),
  z.object({ errorStatus: z.number().int().min(400).max(599), errorMessage: z.string() }),
]);
export type FakeTurn = z.infer<typeof fakeTurnSchema>;

/** What the fake model says, turn by turn; requests past the end get `whenExhausted`. */
export const fakeScriptSchema = z.object({
  turns: z.array(fakeTurnSchema),
  /** Answer once the turns run out; by default a text saying the script is exhausted. */
  whenExhausted: fakeTurnSchema.optional(),
  /** Wait this long before answering each main-conversation request (to exercise timeouts). */
  delayMs: z.number().int().min(0).default(0),
});
export type FakeScript = z.input<typeof fakeScriptSchema>;
