import { describe, expect, it } from 'vitest';
import { snippetOf } from './transcript-index.ts';

describe('snippetOf', () => {
  it('keeps a short text whole, with its matches', () => {
    expect(snippetOf('refund please', [[0, 6]])).toEqual({ text: 'refund please', highlights: [[0, 6]] });
  });

  it('cuts a long text around the first match, marks the cuts, and shifts the highlights', () => {
    const text = `${'a'.repeat(300)} refund ${'b'.repeat(300)}`;
    const { text: snippet, highlights } = snippetOf(text, [[301, 307]]);
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(highlights).toHaveLength(1);
    expect(snippet.slice(highlights[0]![0], highlights[0]![1])).toBe('refund');
  });

  it('leaves out matches that fall outside the window', () => {
    const text = `refund ${'x'.repeat(400)} refund`;
    const { highlights } = snippetOf(text, [
      [text.length - 6, text.length],
      [0, 6],
    ]);
    expect(highlights).toEqual([[0, 6]]);
  });
});
