import { describe, expect, it } from 'vitest';
import { chineseIdValid, luhn, redact } from './redact.ts';

describe('redact', () => {
  it.each([
    ['card, spaced', 'my card is 4111 1111 1111 1111 thanks', 'my card is [CARD] thanks', { CARD: 1 }],
    ['card, dashed', 'it is 5500-0000-0000-0004.', 'it is [CARD].', { CARD: 1 }],
    ['card, plain Amex', 'amex 378282246310005 ok', 'amex [CARD] ok', { CARD: 1 }],
    ['email', 'write to wei.zhang+vip@example.com.cn please', 'write to [EMAIL] please', { EMAIL: 1 }],
    ['Chinese mobile', '我的手机号是13812345678，谢谢', '我的手机号是[PHONE]，谢谢', { PHONE: 1 }],
    ['Chinese mobile with +86 and spaces', '电话 +86 138 1234 5678', '电话 [PHONE]', { PHONE: 1 }],
    ['international', 'call +44 20 7946 0958 or +1 415 555 2671', 'call [PHONE] or [PHONE]', { PHONE: 2 }],
    ['North American', 'at (415) 555-2671 or 415-555-2671', 'at [PHONE] or [PHONE]', { PHONE: 2 }],
    ['US SSN', 'SSN 123-45-6789 on file', 'SSN [SSN] on file', { SSN: 1 }],
    ['Chinese resident ID', '身份证号11010519491231002X已核实', '身份证号[CN_ID]已核实', { CN_ID: 1 }],
    [
      'several kinds at once',
      'Card 4111111111111111, email a@b.io, phone 13912345678',
      'Card [CARD], email [EMAIL], phone [PHONE]',
      { CARD: 1, EMAIL: 1, PHONE: 1 },
    ],
  ])('replaces %s with a typed token and counts it', (_name, text, expected, counts) => {
    expect(redact(text)).toEqual({ text: expected, counts });
  });

  it.each([
    ['an order number that fails Luhn', 'order 4111111111111112 shipped'],
    ['a long reference glued to more digits', 'ref 41111111111111110000000'],
    ['a date', 'due 2026-11-24, at 10:30'],
    ['an invoice with dashes', 'invoice 2024-0001-17'],
    ['an SSN in a range never issued', 'id 000-12-3456 and 666-12-3456 and 900-12-3456'],
    ['a Chinese ID with a wrong check digit', '身份证号110105194912310021'],
    ['a Chinese ID with an impossible birth date', '身份证号110105194902300026'],
    ['a short number', 'extension 12345, room 402, 3 items'],
    ['an 11-digit number that is no mobile', 'account 12345678901'],
    ['an address without a domain', 'user@localhost and @handle'],
    ['a version and an amount', 'v1.2.3 costs 1,299.00'],
  ])('keeps %s', (_name, text) => {
    expect(redact(text)).toEqual({ text, counts: {} });
  });

  it('applies only the rules it is given', () => {
    expect(redact('a@b.io 13812345678', ['PHONE'])).toEqual({ text: 'a@b.io [PHONE]', counts: { PHONE: 1 } });
  });

  it('checks the digits the formats carry', () => {
    expect(luhn('4111111111111111')).toBe(true);
    expect(luhn('4111111111111112')).toBe(false);
    expect(chineseIdValid('11010519491231002X')).toBe(true);
    expect(chineseIdValid('11010519491231002x')).toBe(true);
    expect(chineseIdValid('110105194912310021')).toBe(false);
  });
});
