/**
 * A lexicon-based sentiment scorer for transcript segments that arrive without a score, in English and
 * Chinese. It is deliberately simple and explainable (docs/qa.md): each known word or phrase carries a
 * weight, a negation just before it flips and softens it, an intensifier strengthens it, and the sum is
 * squashed into [-1, 1] the way VADER does (x / sqrt(x² + 15)). A producer's own score always wins;
 * every score says where it came from, so nobody mistakes the lexicon's guess for a model's.
 */
import { CJK } from './tokenize.ts';
export type SentimentSource = 'producer' | 'lexicon';
export type Sentiment = { score: number; source: SentimentSource };

const EN_POSITIVE: Record<string, number> = {
  thanks: 2,
  thank: 2,
  great: 3,
  good: 2,
  excellent: 3,
  perfect: 3,
  awesome: 3,
  amazing: 3,
  wonderful: 3,
  helpful: 2,
  happy: 2,
  glad: 2,
  appreciate: 2,
  appreciated: 2,
  love: 3,
  nice: 2,
  resolved: 2,
  solved: 2,
  fixed: 2,
  works: 1,
  working: 1,
  fine: 1,
  pleased: 2,
  satisfied: 2,
  quick: 1,
  fast: 1,
  easy: 1,
  clear: 1,
  friendly: 2,
  brilliant: 3,
  fantastic: 3,
  sorted: 1,
  welcome: 1,
  help: 0.5,
  helped: 2,
  yes: 0.5,
  correct: 1,
  exactly: 1,
  patience: 1,
  refunded: 1,
};
const EN_NEGATIVE: Record<string, number> = {
  bad: -2,
  terrible: -3,
  awful: -3,
  horrible: -3,
  worst: -3,
  angry: -3,
  furious: -3,
  upset: -2,
  annoyed: -2,
  annoying: -2,
  frustrated: -3,
  frustrating: -3,
  disappointed: -2,
  disappointing: -2,
  unacceptable: -3,
  ridiculous: -3,
  useless: -3,
  broken: -2,
  wrong: -2,
  problem: -1,
  problems: -1,
  issue: -1,
  crashing: -2,
  crash: -2,
  crashes: -2,
  charged: -1,
  twice: -1,
  late: -1,
  delay: -1,
  delayed: -2,
  never: -1,
  cancel: -1,
  complaint: -2,
  complain: -2,
  scam: -3,
  rude: -3,
  waiting: -1,
  waste: -2,
  hate: -3,
  stupid: -3,
  sucks: -3,
  fail: -2,
  failed: -2,
  error: -1,
  missing: -1,
  lost: -2,
  damaged: -2,
  refund: -0.5,
  sorry: -0.5,
  unfortunately: -1,
  confusing: -2,
  slow: -1,
};
const EN_NEGATORS = new Set([
  'not',
  'no',
  "don't",
  'dont',
  "doesn't",
  'doesnt',
  "didn't",
  'didnt',
  "isn't",
  'isnt',
  "wasn't",
  'wasnt',
  "can't",
  'cant',
  'cannot',
  "won't",
  'wont',
  'never',
  'nothing',
  'hardly',
  'without',
]);
const EN_INTENSIFIERS: Record<string, number> = {
  very: 1.5,
  really: 1.4,
  so: 1.3,
  extremely: 1.8,
  totally: 1.5,
  absolutely: 1.6,
  completely: 1.5,
  super: 1.5,
  too: 1.3,
};

const ZH_POSITIVE: Record<string, number> = {
  谢谢: 2,
  感谢: 2,
  多谢: 2,
  满意: 2,
  很好: 2,
  好的: 1,
  不错: 2,
  太好了: 3,
  解决了: 2,
  已解决: 2,
  搞定: 2,
  方便: 1,
  专业: 2,
  耐心: 1,
  清楚: 1,
  高兴: 2,
  开心: 2,
  喜欢: 2,
  棒: 2,
  优秀: 3,
  完美: 3,
  及时: 1,
  快: 1,
  到账: 1,
  可以了: 1,
  好评: 3,
  // Traditional forms where they differ, so zh-TW transcripts are scored too.
  謝謝: 2,
  感謝: 2,
  多謝: 2,
  滿意: 2,
  解決了: 2,
  已解決: 2,
  專業: 2,
  清楚了: 1,
  開心: 2,
  優秀: 3,
  到帳: 1,
};
const ZH_NEGATIVE: Record<string, number> = {
  不满意: -3,
  不满: -3,
  投诉: -3,
  生气: -3,
  气死: -3,
  愤怒: -3,
  失望: -2,
  差劲: -3,
  太差: -3,
  垃圾: -3,
  骗子: -3,
  骗人: -3,
  离谱: -3,
  糟糕: -3,
  麻烦: -1,
  不行: -2,
  没用: -2,
  沒用: -2,
  问题: -1,
  错误: -2,
  填错: -1,
  多扣: -2,
  扣了: -1,
  闪退: -2,
  崩溃: -2,
  没到: -2,
  还没有到: -2,
  还没到: -2,
  退款: -0.5,
  取消: -1,
  慢: -1,
  等了: -1,
  等太久: -2,
  坏了: -2,
  丢了: -2,
  烦: -2,
  无语: -2,
  抱歉: -0.5,
  不好意思: -0.5,
  人工: -0.5,
  // Traditional forms.
  不滿: -3,
  投訴: -3,
  憤怒: -3,
  差勁: -3,
  騙子: -3,
  離譜: -3,
  錯誤: -2,
  閃退: -2,
  壞了: -2,
  丟了: -2,
  煩: -2,
  無語: -2,
};
const ZH_NEGATORS = ['没有', '沒有', '不', '没', '沒', '别', '別', '无', '無', '未'];
const ZH_INTENSIFIERS: Record<string, number> = {
  非常: 1.6,
  特别: 1.5,
  特別: 1.5,
  太: 1.5,
  很: 1.3,
  真: 1.3,
  超: 1.5,
  极其: 1.8,
  極其: 1.8,
};
const ZH_ENTRIES = Object.entries({ ...ZH_POSITIVE, ...ZH_NEGATIVE }).sort((a, b) => b[0].length - a[0].length);
const ALPHA = 15;

/** The segment's sentiment: the producer's when given, else the lexicon's (0 when no word is known). */
export function sentimentOf(text: string, given?: number): Sentiment {
  if (given !== undefined && Number.isFinite(given)) return { score: given, source: 'producer' };
  return { score: lexiconScore(text), source: 'lexicon' };
}

/** The lexicon's score in [-1, 1], rounded to 3 places. */
export function lexiconScore(text: string): number {
  const sum = englishSum(text) + chineseSum(text);
  if (sum === 0) return 0;
  return Math.round((sum / Math.sqrt(sum * sum + ALPHA)) * 1000) / 1000;
}

function englishSum(text: string): number {
  const raw =
    text
      .normalize('NFKC')
      .toLowerCase()
      .replaceAll('’', "'")
      .match(/[a-z']+/g) ?? [];
  const negatedAt = new Set<number>();
  raw.forEach((w, i) => {
    if (EN_NEGATORS.has(w)) for (let k = i + 1; k <= i + 3; k++) negatedAt.add(k);
  });
  let sum = 0;
  for (let i = 0; i < raw.length; i++) {
    const w = raw[i]!;
    const weight = EN_POSITIVE[w] ?? EN_NEGATIVE[w];
    if (weight === undefined) continue;
    let v = weight;
    const before = raw[i - 1];
    if (before !== undefined && EN_INTENSIFIERS[before]) v *= EN_INTENSIFIERS[before];
    // "not good" is weaker than "bad"; "not bad" is mildly positive.
    if (negatedAt.has(i) && !EN_NEGATORS.has(w)) v *= -0.6;
    sum += v;
  }
  return sum;
}

function chineseSum(text: string): number {
  if (!CJK.test(text)) return 0;
  const taken = new Array<boolean>(text.length).fill(false);
  let sum = 0;
  for (const [phrase, weight] of ZH_ENTRIES) {
    let from = 0;
    for (;;) {
      const at = text.indexOf(phrase, from);
      if (at < 0) break;
      from = at + phrase.length;
      if (taken.slice(at, at + phrase.length).some(Boolean)) continue;
      for (let k = at; k < at + phrase.length; k++) taken[k] = true;
      let v = weight;
      const before = text.slice(Math.max(0, at - 3), at);
      const intensifier = Object.keys(ZH_INTENSIFIERS).find((w) => before.endsWith(w));
      const lead = intensifier ? before.slice(0, before.length - intensifier.length) : before;
      if (intensifier) v *= ZH_INTENSIFIERS[intensifier]!;
      // A negator right before the word (or before its intensifier) turns it: 不满意 is not 满意.
      if (ZH_NEGATORS.some((n) => lead.endsWith(n) || (!intensifier && before.endsWith(n)))) v *= -0.6;
      sum += v;
    }
  }
  return sum;
}
