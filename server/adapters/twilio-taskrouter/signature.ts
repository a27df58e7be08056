/**
 * Twilio's request signature (X-Twilio-Signature), as Twilio's security documentation defines it:
 * base64(HMAC-SHA1(auth token, the full URL Twilio called + every POST parameter's name and value,
 * sorted by name)). JSON bodies are signed over the URL alone, which then carries `bodySHA256`, the
 * hex SHA-256 of the body.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-twilio-signature';

export function twilioSignature(authToken: string, url: string, params: readonly [string, string][]): string {
  const sorted = [...params].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const hmac = createHmac('sha1', authToken).update(url, 'utf8');
  for (const [k, v] of sorted) hmac.update(k + v, 'utf8');
  return hmac.digest('base64');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The spellings of one URL Twilio may have signed: its helper libraries accept the URL with and
 * without the default port, and with and without the Basic credentials written in the webhook URL.
 */
export function urlVariants(url: string, basicAuthorization?: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [url];
  }
  const out = new Set<string>([url]);
  const defaultPort = u.protocol === 'https:' ? '443' : '80';
  const withoutPort = new URL(u);
  withoutPort.port = '';
  const hostWithPort = `${withoutPort.hostname}:${u.port || defaultPort}`;
  const rest = u.pathname + u.search;
  const origins = [`${u.protocol}//${withoutPort.host}`, `${u.protocol}//${hostWithPort}`];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(basicAuthorization ?? '')?.[1];
  const userinfo = basic ? Buffer.from(basic, 'base64').toString('utf8') : undefined;
  for (const origin of origins) {
    out.add(origin + rest);
    if (userinfo) out.add(origin.replace('//', `//${userinfo}@`) + rest);
  }
  return [...out];
}

/** Why a request's signature does not hold, or null when it does. */
export function checkTwilioSignature(
  authToken: string,
  request: {
    urls: readonly string[];
    signature: string | undefined;
    authorization?: string;
    body: string;
    form: readonly [string, string][] | null;
  },
): string | null {
  const signature = request.signature?.trim();
  if (!signature) return 'X-Twilio-Signature header is missing (TANDEM_TWILIO_AUTH_TOKEN is set)';
  const urls = request.urls.flatMap((u) => urlVariants(u, request.authorization));
  if (!request.form) {
    const declared = urls.map((u) => URL.parse(u)?.searchParams.get('bodySHA256')).find(Boolean);
    if (!declared) return 'a body that is not form-encoded must be signed with bodySHA256 in the URL';
    if (!same(declared.toLowerCase(), createHash('sha256').update(request.body, 'utf8').digest('hex'))) {
      return 'bodySHA256 does not match the body';
    }
  }
  const params = request.form ?? [];
  for (const url of urls) if (same(twilioSignature(authToken, url, params), signature)) return null;
  return 'X-Twilio-Signature does not match: check the auth token and that the URL Twilio calls is the one Tandem sees (TANDEM_TRUST_PROXY, TANDEM_PUBLIC_URL)';
}
