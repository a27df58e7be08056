/**
 * The Asterisk Manager Interface's text framing: a message is `Key: Value` lines ending in CRLF, and a
 * blank line ends it. The framer takes a TCP stream in whatever chunks it arrives and gives whole
 * messages; garbage (a line with no colon, a message too large) becomes a reason, never an exception.
 */

/** A message larger than this has lost its blank line: it is dropped, not buffered without end. */
export const MAX_MESSAGE_CHARS = 256 * 1024;

export type AmiMessage = { ok: true; value: Record<string, string> } | { ok: false; reason: string };

/** One message's lines → headers. The first of a repeated header is kept (ChanVariable lines repeat). */
export function parseAmiMessage(text: string): AmiMessage {
  const value: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { ok: false, reason: `AMI line without "Key: Value": ${JSON.stringify(line.slice(0, 40))}` };
    const key = line.slice(0, colon).trim();
    if (key === '__proto__' || Object.hasOwn(value, key)) continue;
    value[key] = line.slice(colon + 1).trim();
  }
  if (Object.keys(value).length === 0) return { ok: false, reason: 'empty AMI message' };
  return { ok: true, value };
}

/** All messages in a saved AMI text (a capture, a log), in order. */
export function parseAmiText(text: string): AmiMessage[] {
  return text
    .split(/\r?\n[ \t]*\r?\n/)
    .filter((block) => block.trim() !== '')
    .map(parseAmiMessage);
}

/** Cuts a stream into messages across chunk boundaries. */
export class AmiFramer {
  private buffer = '';

  push(chunk: string): AmiMessage[] {
    this.buffer += chunk;
    const out: AmiMessage[] = [];
    for (;;) {
      const m = /\r?\n\r?\n/.exec(this.buffer);
      if (!m) break;
      const block = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      if (block.trim() !== '') out.push(parseAmiMessage(block));
    }
    if (this.buffer.length > MAX_MESSAGE_CHARS) {
      this.buffer = '';
      out.push({ ok: false, reason: `AMI message longer than ${MAX_MESSAGE_CHARS} characters dropped` });
    }
    return out;
  }
}
