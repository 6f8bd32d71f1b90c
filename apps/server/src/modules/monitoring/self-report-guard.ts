import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * What keeps the public self-report form for people, with nothing from a third party (villages' phones
 * must not depend on a captcha service reachable from the internet):
 * - the QR code carries a per-village token signed with the installation's key, so only printed codes
 *   open the form, and the village cannot be altered;
 * - each opening of the form gets a signed challenge (village, time, nonce) that is answered once, no
 *   sooner than `minimumFillMilliseconds` after it was issued and within `lifetimeMilliseconds`;
 * - a honeypot field that people never see must stay empty;
 * - both the form and the submission are rate-limited per address (route config).
 * Repeated reports of one household merge into one lead, so a flood cannot multiply work for cadres.
 */
export const selfReportTiming = { minimumFillMilliseconds: 3_000, lifetimeMilliseconds: 2 * 3_600_000 };

function sign(secret: Buffer, text: string, bytes = 32): string {
  return createHmac('sha256', secret).update(text).digest().subarray(0, bytes).toString('base64url');
}

function sameText(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token printed in a village's QR code: the village code and 16 bytes of its signature. */
export function villageToken(secret: Buffer, villageCode: string): string {
  return `${villageCode}.${sign(secret, `village:${villageCode}`, 16)}`;
}

/** The village a token names, or undefined when the signature does not hold. */
export function villageOfToken(secret: Buffer, token: string): string | undefined {
  const match = /^(\d{12})\.([\w-]{22})$/.exec(token);
  if (!match) return undefined;
  const [, villageCode, signature] = match as unknown as [string, string, string];
  return sameText(sign(secret, `village:${villageCode}`, 16), signature) ? villageCode : undefined;
}

export function issueChallenge(secret: Buffer, villageCode: string, now = Date.now()): string {
  const body = Buffer.from(
    JSON.stringify({ village: villageCode, issuedAt: now, nonce: randomBytes(12).toString('base64url') }),
  ).toString('base64url');
  return `${body}.${sign(secret, `challenge:${body}`)}`;
}

export type ChallengeCheck =
  | { ok: true; nonce: string; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'signature' | 'village' | 'too_fast' | 'expired' };

export function checkChallenge(
  secret: Buffer,
  challenge: string,
  villageCode: string,
  now = Date.now(),
): ChallengeCheck {
  const [body, signature] = challenge.split('.');
  if (!body || !signature) return { ok: false, reason: 'malformed' };
  if (!sameText(sign(secret, `challenge:${body}`), signature)) return { ok: false, reason: 'signature' };
  let content: { village?: unknown; issuedAt?: unknown; nonce?: unknown };
  try {
    content = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (content.village !== villageCode) return { ok: false, reason: 'village' };
  if (typeof content.issuedAt !== 'number' || typeof content.nonce !== 'string') {
    return { ok: false, reason: 'malformed' };
  }
  const age = now - content.issuedAt;
  if (age < selfReportTiming.minimumFillMilliseconds) return { ok: false, reason: 'too_fast' };
  if (age > selfReportTiming.lifetimeMilliseconds) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    nonce: content.nonce,
    expiresAt: new Date(content.issuedAt + selfReportTiming.lifetimeMilliseconds),
  };
}
