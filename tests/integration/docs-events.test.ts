/** docs/events.md stays true to the contract: every event example validates, and every type has one. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkEvent, EVENT_TYPES } from '../../server/contract/events.ts';
import { ingestAckSchema, ingestReplySchema } from '../../server/contract/ingest.ts';

const markdown = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');

type Block = { line: number; source: string };

/** The contents of every ```json fenced block, with the line its fence opens on. */
function jsonBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const fence = /^```json[ \t]*\r?\n([\s\S]*?)^```[ \t]*$/gm;
  for (const m of text.matchAll(fence)) {
    blocks.push({ line: text.slice(0, m.index).split('\n').length, source: m[1]! });
  }
  return blocks;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const blocks = jsonBlocks(markdown).map((b) => {
  let value: unknown;
  let error: string | null = null;
  try {
    value = JSON.parse(b.source);
  } catch (err) {
    error = (err as Error).message;
  }
  return { ...b, value, error };
});

/** Blocks that are one event: an object whose `type` is an event type. */
const events = blocks.filter(
  (b) => isObject(b.value) && (EVENT_TYPES as readonly unknown[]).includes((b.value as { type?: unknown }).type),
);

describe('docs/events.md', () => {
  it('has only valid JSON in its json blocks', () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.filter((b) => b.error !== null).map((b) => `line ${b.line}: ${b.error}`)).toEqual([]);
  });

  it('has event examples that the contract accepts', () => {
    expect(events.length).toBeGreaterThanOrEqual(EVENT_TYPES.length);
    for (const b of events) {
      const check = checkEvent(b.value);
      expect(check.ok ? [] : check.errors, `example at line ${b.line}`).toEqual([]);
    }
  });

  it('has no example whose dotted type is not an event type (a typo would skip validation)', () => {
    const unknown = blocks.filter((b) => {
      const type = isObject(b.value) ? b.value.type : undefined;
      return typeof type === 'string' && type.includes('.') && !(EVENT_TYPES as readonly string[]).includes(type);
    });
    expect(unknown.map((b) => `line ${b.line}`)).toEqual([]);
  });

  it('shows at least one example of every event type', () => {
    const shown = new Set(events.map((b) => (b.value as { type: string }).type));
    expect(EVENT_TYPES.filter((t) => !shown.has(t))).toEqual([]);
  });

  it('uses distinct ids across its event examples', () => {
    const ids = events.map((b) => (b.value as { id: string }).id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('shows acknowledgements and websocket replies in the shapes the server sends', () => {
    for (const b of blocks) {
      if (!isObject(b.value)) continue;
      if (b.value.type === 'ack' || b.value.type === 'error') {
        expect(ingestReplySchema.safeParse(b.value).success, `reply at line ${b.line}`).toBe(true);
      } else if ('accepted' in b.value) {
        expect(ingestAckSchema.safeParse(b.value).success, `ack at line ${b.line}`).toBe(true);
      }
    }
  });
});
