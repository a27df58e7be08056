import { describe, expect, it } from 'vitest';
import { lexiconScore, sentimentOf } from './sentiment.ts';

describe('sentiment', () => {
  it('keeps a producer score and says so', () => {
    expect(sentimentOf('this is terrible', 0.4)).toEqual({ score: 0.4, source: 'producer' });
    expect(sentimentOf('this is terrible').source).toBe('lexicon');
  });

  it.each([
    ['Thank you so much, that was really helpful', 'positive'],
    ['This is unacceptable, I am furious', 'negative'],
    ['I was charged twice for my order', 'negative'],
    ['My order number is 12345', 'neutral'],
    ['The app is not working', 'negative'],
    ['not bad at all', 'positive'],
    ['谢谢，问题已解决了', 'positive'],
    ['我非常不满意，我要投诉', 'negative'],
    ['我的包裹还没有到', 'negative'],
    ['没问题', 'positive'],
    ['还是不行。', 'negative'],
    ['That did not help.', 'negative'],
    ['Thanks, that helped', 'positive'],
    ['服務很專業，謝謝', 'positive'],
    ['請幫我查一下訂單', 'neutral'],
  ])('%s is %s', (text, expected) => {
    const s = lexiconScore(text);
    expect(s >= -1 && s <= 1).toBe(true);
    const label = s > 0.05 ? 'positive' : s < -0.05 ? 'negative' : 'neutral';
    expect(label).toBe(expected);
  });

  it('a negation turns a word and an intensifier strengthens it', () => {
    expect(lexiconScore('good')).toBeGreaterThan(0);
    expect(lexiconScore('not good')).toBeLessThan(0);
    expect(lexiconScore('very good')).toBeGreaterThan(lexiconScore('good'));
    expect(lexiconScore('满意')).toBeGreaterThan(0);
    expect(lexiconScore('不满意')).toBeLessThan(0);
    expect(lexiconScore('非常满意')).toBeGreaterThan(lexiconScore('满意'));
  });
});
