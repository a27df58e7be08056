/**
 * Words for transcript search, the same way for what is stored and what is asked, in English and in
 * Chinese without spaces. Intl.Segmenter (ICU, built into Node) finds the words; text is NFKC-folded
 * (full-width letters and digits become plain) and lower-cased. Chinese, Japanese and Korean words are
 * indexed a character at a time and asked for as phrases of characters: ICU may cut 多扣了一笔 one way
 * in a sentence and another in a query, but the characters and their order are the same, so a query
 * matches inside words however the dictionary split them.
 */

export type Token = { term: string; position: number; start: number; end: number };
/** A query: every clause must match; a clause of several terms is a phrase (adjacent, in order). */
export type Query = { clauses: string[][] };

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
/** Scripts written without spaces between words. */
export const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

const fold = (s: string) => s.normalize('NFKC').toLowerCase();

/** The searchable words of a text, in order, with their positions and where they are in the text. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const seg of segmenter.segment(text)) {
    if (!seg.isWordLike) continue;
    if (!CJK.test(seg.segment)) {
      out.push({
        term: fold(seg.segment),
        position: out.length,
        start: seg.index,
        end: seg.index + seg.segment.length,
      });
      continue;
    }
    // A mixed word (a Latin or digit run beside Chinese) keeps its non-CJK runs whole.
    let run = '';
    let runStart = 0;
    let offset = seg.index;
    const flush = () => {
      if (run) out.push({ term: fold(run), position: out.length, start: runStart, end: runStart + run.length });
      run = '';
    };
    for (const ch of seg.segment) {
      if (CJK.test(ch)) {
        flush();
        out.push({ term: fold(ch), position: out.length, start: offset, end: offset + ch.length });
      } else {
        if (!run) runStart = offset;
        run += ch;
      }
      offset += ch.length;
    }
    flush();
  }
  return out;
}

/**
 * Reads what someone typed into a search box: "quoted text" (also “…” and 「…」) is a phrase; other
 * words must each appear; a Chinese word is a phrase of its characters.
 */
export function parseQuery(input: string): Query {
  const clauses: string[][] = [];
  const quoted = /"([^"]*)"|“([^”]*)”|「([^」]*)」/g;
  let rest = '';
  let last = 0;
  for (const m of input.matchAll(quoted)) {
    rest += `${input.slice(last, m.index)} `;
    last = m.index + m[0].length;
    const terms = tokenize(m[1] ?? m[2] ?? m[3] ?? '').map((t) => t.term);
    if (terms.length) clauses.push(terms);
  }
  rest += input.slice(last);
  // Outside quotes, consecutive CJK characters of one word stay together; other words stand alone.
  let phrase: Token[] = [];
  const close = () => {
    if (phrase.length) clauses.push(phrase.map((t) => t.term));
    phrase = [];
  };
  for (const t of tokenize(rest)) {
    const previous = phrase.at(-1);
    if (CJK.test(t.term) && previous && previous.end === t.start) {
      phrase.push(t);
      continue;
    }
    close();
    if (CJK.test(t.term)) phrase.push(t);
    else clauses.push([t.term]);
  }
  close();
  // The same clause twice asks for nothing more.
  const seen = new Set<string>();
  return { clauses: clauses.filter((c) => !seen.has(c.join(' ')) && seen.add(c.join(' '))) };
}
