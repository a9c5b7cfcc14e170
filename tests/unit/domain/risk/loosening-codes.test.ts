/**
 * Loosening codes in pure code: the canonical form and its salted digest, issuing, verifying,
 * spending, expiry, the guard against guessing, and the trading-state rule that a person's change
 * through MCP elicitation holds only with a code the workflow has just verified.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  FAILED_ATTEMPT_WINDOW_MS,
  LOOSENING_CODE_ALPHABET,
  LOOSENING_CODE_LENGTH,
  MAX_FAILED_CODE_ATTEMPTS,
  codeRefusalMessage,
  emptyLooseningCodeBook,
  formatLooseningCode,
  isCodeDigest,
  issueLooseningCode,
  looseningCodeDigestMessage,
  markCodeUsed,
  normalizeLooseningCode,
  recordFailedAttempt,
  verifyLooseningCode,
} from '../../../../domain/risk/loosening-codes.js';
import { LooseningCodeRequiredError, decideStateChange, validateStateRequest } from '../../../../domain/risk/trading-state.js';
import type { LooseningCodeBook, SetTradingStateRequest, TradingState } from '../../../../schemas/temporal/risk.js';
import { generateLooseningCode, looseningCodeDigest } from '../../../../temporal/clients/loosening-code-crypto.js';

const T0 = 1_800_000_000_000;
const TTL_SEC = 600;
const digest = (code: string, state: TradingState = 'ACTIVE', account = 'paper') => looseningCodeDigest(account, state, code);

function issued(book: LooseningCodeBook, code: string, state: TradingState = 'ACTIVE', at = T0) {
  return issueLooseningCode(book, { state, digest: digest(code, state), issued_by: ' ops ', reason: ' reviewed ' }, at, TTL_SEC);
}

function failTimes(book: LooseningCodeBook, times: number, from: number, stepMs = 1_000): LooseningCodeBook {
  let current = book;
  for (let i = 0; i < times; i += 1) current = recordFailedAttempt(current, from + i * stepMs);
  return current;
}

describe('the code and its digest', () => {
  it('draws codes of the readable alphabet, grouped for reading aloud, and reads them back however typed', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i += 1) {
      const code = generateLooseningCode();
      expect(code).toHaveLength(LOOSENING_CODE_LENGTH);
      expect([...code].every((c) => LOOSENING_CODE_ALPHABET.includes(c))).toBe(true);
      seen.add(code);
      const shown = formatLooseningCode(code);
      expect(shown).toMatch(/^[2-9A-Z]{5}-[2-9A-Z]{5}$/);
      expect(normalizeLooseningCode(shown)).toBe(code);
      expect(normalizeLooseningCode(` ${shown.toLowerCase().replace('-', ' ')} `)).toBe(code);
    }
    expect(seen.size).toBe(200);
    for (const ambiguous of ['0', '1', 'I', 'L', 'O']) expect(LOOSENING_CODE_ALPHABET).not.toContain(ambiguous);
  });

  it('refuses what cannot be a code', () => {
    for (const bad of ['', 'ABCDE', 'ABCDE-FGHJK-2', 'ABCDE-FGHJ0', 'ABCDE-FGHJI', 'ABCDE_FGHJK', 'ÄBCDE-FGHJK']) {
      expect(normalizeLooseningCode(bad), bad).toBeNull();
    }
  });

  it('salts the SHA-256 digest with the account and the state, so a code matches nowhere else', () => {
    const code = 'ABCDE23456';
    expect(digest(code)).toBe(createHash('sha256').update(looseningCodeDigestMessage('paper', 'ACTIVE', code)).digest('hex'));
    expect(isCodeDigest(digest(code))).toBe(true);
    const variants = [digest(code), digest(code, 'REDUCING'), digest(code, 'ACTIVE', 'other'), digest('ABCDE23457')];
    expect(new Set(variants).size).toBe(variants.length);
    expect(variants.every((d) => !d.includes(code))).toBe(true);
    expect(isCodeDigest('A'.repeat(64))).toBe(false);
    expect(isCodeDigest(code)).toBe(false);
  });
});

describe('issuing, verifying and spending', () => {
  it('verifies the code issued for this state until it expires, once', () => {
    const { book, code } = issued(emptyLooseningCodeBook(), 'ABCDE23456');
    expect(code).toMatchObject({ code_id: 'code-1', state: 'ACTIVE', issued_by: 'ops', reason: 'reviewed', issued_at: T0, expires_at: T0 + TTL_SEC * 1000, used_at: null });
    expect(book.next_seq).toBe(2);

    const verdict = verifyLooseningCode(book, 'ACTIVE', digest('ABCDE23456'), T0 + 1_000);
    expect(verdict).toMatchObject({ ok: true, code: { code_id: 'code-1' } });

    const spent = markCodeUsed(book, 'code-1', T0 + 2_000);
    expect(verifyLooseningCode(spent, 'ACTIVE', digest('ABCDE23456'), T0 + 3_000)).toMatchObject({ ok: false, why: 'used' });
    expect(verifyLooseningCode(book, 'ACTIVE', digest('ABCDE23456'), T0 + TTL_SEC * 1000)).toMatchObject({ ok: false, why: 'expired' });
  });

  it('matches nothing for a guess, another state or another account, or before any code was issued', () => {
    const { book } = issued(emptyLooseningCodeBook(), 'ABCDE23456');
    expect(verifyLooseningCode(undefined, 'ACTIVE', digest('ABCDE23456'), T0)).toMatchObject({ ok: false, why: 'unknown' });
    expect(verifyLooseningCode(book, 'ACTIVE', digest('ZZZZZ99999'), T0)).toMatchObject({ ok: false, why: 'unknown' });
    expect(verifyLooseningCode(book, 'REDUCING', digest('ABCDE23456', 'REDUCING'), T0)).toMatchObject({ ok: false, why: 'unknown' });
    // The right digest asked for another state, as a server might send it: refused too.
    expect(verifyLooseningCode(book, 'REDUCING', digest('ABCDE23456'), T0)).toMatchObject({ ok: false, why: 'unknown' });
    expect(verifyLooseningCode(book, 'ACTIVE', digest('ABCDE23456', 'ACTIVE', 'other'), T0)).toMatchObject({ ok: false, why: 'unknown' });
  });

  it('keeps one live code per state: a new one revokes the older, and codes for the other state stay', () => {
    let book = issued(emptyLooseningCodeBook(), 'ABCDE23456').book;
    book = issued(book, 'REDUCE2345', 'REDUCING', T0 + 1).book;
    book = issued(book, 'FGHJK23456', 'ACTIVE', T0 + 2).book;
    expect(verifyLooseningCode(book, 'ACTIVE', digest('ABCDE23456'), T0 + 3)).toMatchObject({ ok: false, why: 'revoked', code: { code_id: 'code-1' } });
    expect(verifyLooseningCode(book, 'ACTIVE', digest('FGHJK23456'), T0 + 3)).toMatchObject({ ok: true, code: { code_id: 'code-3' } });
    expect(verifyLooseningCode(book, 'REDUCING', digest('REDUCE2345', 'REDUCING'), T0 + 3)).toMatchObject({ ok: true, code: { code_id: 'code-2' } });
  });

  it('keeps its memory bounded', () => {
    let book = emptyLooseningCodeBook();
    for (let i = 0; i < 100; i += 1) book = issued(book, generateLooseningCode(), i % 2 ? 'ACTIVE' : 'REDUCING', T0 + i).book;
    expect(book.codes.length).toBeLessThanOrEqual(20);
    book = issued(book, 'ABCDE23456', 'ACTIVE', T0 + 2 * 60 * 60_000).book;
    expect(book.codes.map((c) => c.code_id)).toEqual(['code-101']);
  });
});

describe('the guard against guessing', () => {
  it(`locks after ${MAX_FAILED_CODE_ATTEMPTS} refused attempts within the window and revokes every unused code`, () => {
    const { book } = issued(emptyLooseningCodeBook(), 'ABCDE23456');
    const almost = failTimes(book, MAX_FAILED_CODE_ATTEMPTS - 1, T0);
    expect(almost.locked_at).toBeNull();
    expect(verifyLooseningCode(almost, 'ACTIVE', digest('ABCDE23456'), T0 + 10_000)).toMatchObject({ ok: true });

    const locked = recordFailedAttempt(almost, T0 + 10_000);
    expect(locked.locked_at).toBe(T0 + 10_000);
    // The right code no longer helps, and stays refused: only a new code lifts the lock.
    expect(verifyLooseningCode(locked, 'ACTIVE', digest('ABCDE23456'), T0 + 11_000)).toMatchObject({ ok: false, why: 'locked' });
    expect(recordFailedAttempt(locked, T0 + 12_000)).toEqual(locked);

    const reissued = issued(locked, 'FGHJK23456', 'ACTIVE', T0 + 20_000).book;
    expect(reissued).toMatchObject({ locked_at: null, failed_attempts: [] });
    expect(verifyLooseningCode(reissued, 'ACTIVE', digest('ABCDE23456'), T0 + 21_000)).toMatchObject({ ok: false, why: 'revoked' });
    expect(verifyLooseningCode(reissued, 'ACTIVE', digest('FGHJK23456'), T0 + 21_000)).toMatchObject({ ok: true });
  });

  it('forgets attempts older than the window', () => {
    const spread = failTimes(emptyLooseningCodeBook(), MAX_FAILED_CODE_ATTEMPTS * 2, T0, FAILED_ATTEMPT_WINDOW_MS / (MAX_FAILED_CODE_ATTEMPTS - 1) + 1);
    expect(spread.locked_at).toBeNull();
    expect(spread.failed_attempts.length).toBeLessThan(MAX_FAILED_CODE_ATTEMPTS);
  });

  it('says why and names the operator command in every refusal', () => {
    const command = 'npm run risk:operator -- loosen-code ACTIVE --account paper';
    for (const why of ['locked', 'unknown', 'expired', 'used', 'revoked'] as const) {
      const code = why === 'locked' || why === 'unknown' ? null : issued(emptyLooseningCodeBook(), 'ABCDE23456').code;
      const message = codeRefusalMessage({ ok: false, why, code }, 'paper', 'ACTIVE');
      expect(message, why).toContain(command);
      expect(message, why).not.toContain('undefined');
    }
  });
});

describe('a person through MCP elicitation needs a redeemed code', () => {
  const elicited = (codeId?: string): SetTradingStateRequest => ({
    state: 'ACTIVE',
    reason: 'calm again',
    authority: { kind: 'person', via: 'mcp_elicitation', confirmed_by: 'Dana', ...(codeId ? { code_id: codeId } : {}) },
  });

  it('refuses one without a code, or naming a code other than the one verified', () => {
    expect(() => decideStateChange('paper', 'HALTED', elicited(), T0)).toThrow(LooseningCodeRequiredError);
    expect(() => decideStateChange('paper', 'HALTED', elicited('code-1'), T0)).toThrow(/loosen-code ACTIVE --account paper/);
    expect(() => decideStateChange('paper', 'HALTED', elicited('code-1'), T0, 'code-2')).toThrow(LooseningCodeRequiredError);
    // Even a tightening or no change: the label "a person" is never taken on the host's word.
    expect(() => decideStateChange('paper', 'ACTIVE', { ...elicited(), state: 'HALTED' }, T0)).toThrow(LooseningCodeRequiredError);
  });

  it('applies one with the verified code, recording its id', () => {
    const { change } = decideStateChange('paper', 'HALTED', elicited('code-1'), T0, 'code-1');
    expect(change).toMatchObject({ from: 'HALTED', to: 'ACTIVE', authority: { kind: 'person', via: 'mcp_elicitation', confirmed_by: 'Dana', code_id: 'code-1' } });
  });

  it('lets no other authority claim a code', () => {
    expect(() => validateStateRequest({ state: 'ACTIVE', reason: 'calm again', authority: { kind: 'person', via: 'operator_cli', confirmed_by: 'ops', code_id: 'code-1' } })).toThrow(
      /code_id names the loosening code/,
    );
  });
});
