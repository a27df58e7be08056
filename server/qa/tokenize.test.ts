import { describe, expect, it } from 'vitest';
import { parseQuery, tokenize } from './tokenize.ts';

const terms = (text: string) => tokenize(text).map((t) => t.term);

describe('tokenize', () => {
  it('splits English into lower-cased words, dropping punctuation', () => {
    expect(terms("I was charged TWICE, can't log in!")).toEqual(['i', 'was', 'charged', 'twice', "can't", 'log', 'in']);
  });

  it('indexes Chinese a character at a time, with offsets into the text', () => {
    const tokens = tokenize('我的账单多扣了');
    expect(tokens.map((t) => t.term)).toEqual(['我', '的', '账', '单', '多', '扣', '了']);
    expect(tokens[2]).toEqual({ term: '账', position: 2, start: 2, end: 3 });
  });

  it('keeps Latin and digit runs whole inside mixed text, and folds full-width forms', () => {
    expect(terms('订单A1234已退款')).toEqual(['订', '单', 'a1234', '已', '退', '款']);
    expect(terms('ＶＩＰ客户 ２０２６')).toEqual(['vip', '客', '户', '2026']);
  });

  it('gives positions in order across scripts, so phrases can be matched by adjacency', () => {
    expect(tokenize('refund 退款 please').map((t) => [t.term, t.position])).toEqual([
      ['refund', 0],
      ['退', 1],
      ['款', 2],
      ['please', 3],
    ]);
  });

  it('finds surrogate-pair characters by their real length', () => {
    const tokens = tokenize('𠮷野家');
    expect(tokens[0]).toEqual({ term: '𠮷', position: 0, start: 0, end: 2 });
    expect(tokens[1]!.start).toBe(2);
  });
});

describe('parseQuery', () => {
  it('makes every bare word a clause and every quoted text a phrase', () => {
    expect(parseQuery('refund "charged twice" Refund')).toEqual({ clauses: [['charged', 'twice'], ['refund']] });
  });

  it('reads a Chinese word as a phrase of its characters, and Chinese quotes as phrases', () => {
    expect(parseQuery('多扣 退款')).toEqual({
      clauses: [
        ['多', '扣'],
        ['退', '款'],
      ],
    });
    expect(parseQuery('“重复扣款” 「人工」 vip')).toEqual({
      clauses: [['重', '复', '扣', '款'], ['人', '工'], ['vip']],
    });
  });

  it('asks for nothing for punctuation or empty quotes', () => {
    expect(parseQuery(' "" ，。!? ')).toEqual({ clauses: [] });
  });
});
