/**
 * One-time loosening codes. The MCP host is untrusted and can answer an elicitation form itself, so
 * a person's loosening through the host needs proof the host cannot produce: a short code that the
 * operator command (`loosen-code`) prints on the operator's side and the person types into the
 * form. The risk workflow keeps only each code's digest, salted with the account and the target
 * state, so a code loosens exactly one account to exactly one state, once, for a few minutes; a
 * handful of wrong attempts locks every redemption until a new code is issued. Pure: the caller
 * hashes (node:crypto, temporal/clients/loosening-code-crypto.ts) and passes the time.
 */
import {
  looseningCodeCommand,
  type LooseningCode,
  type LooseningCodeBook,
  type TradingState,
} from '../../schemas/temporal/risk.js';

/** Easy to read aloud and to type: no 0/O, 1/I/L. */
export const LOOSENING_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** 31^10 ≈ 8·10^14 codes: out of reach of the few guesses the guard allows. */
export const LOOSENING_CODE_LENGTH = 10;
export const DEFAULT_LOOSENING_CODE_TTL_SEC = 600;
/** Refused attempts per window before every redemption is refused until a new code is issued. */
export const MAX_FAILED_CODE_ATTEMPTS = 5;
export const FAILED_ATTEMPT_WINDOW_MS = 10 * 60_000;
/** Used, expired and revoked codes are kept a while so a late attempt learns why it failed. */
const CODES_KEPT = 20;
const SPENT_CODES_KEPT_MS = 60 * 60_000;

const DIGEST = /^[0-9a-f]{64}$/;
const ALLOWED = new Set(LOOSENING_CODE_ALPHABET);

export const isCodeDigest = (value: unknown): value is string => typeof value === 'string' && DIGEST.test(value);

/**
 * The code as the person may have typed it (any case, grouped with spaces or dashes) in its one
 * canonical form, or null when it cannot be a code at all.
 */
export function normalizeLooseningCode(entered: string): string | null {
  const code = entered.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== LOOSENING_CODE_LENGTH || ![...code].every((c) => ALLOWED.has(c))) return null;
  return code;
}

/** Grouped for reading aloud: ABCDE-FGHJK. */
export const formatLooseningCode = (code: string): string => `${code.slice(0, 5)}-${code.slice(5)}`;

/**
 * What is hashed: the code salted with the account and the state it loosens to, so the same code
 * typed for another account or state has another digest and matches nothing.
 */
export const looseningCodeDigestMessage = (account: string, state: TradingState, normalizedCode: string): string =>
  `durable-crypto-agents/loosening-code/v1\n${account}\n${state}\n${normalizedCode}`;

export const emptyLooseningCodeBook = (): LooseningCodeBook => ({ codes: [], failed_attempts: [], locked_at: null, next_seq: 1 });

const recentFailures = (book: LooseningCodeBook, nowMs: number): number[] =>
  book.failed_attempts.filter((at) => nowMs - at < FAILED_ATTEMPT_WINDOW_MS);

/** Live codes, and spent ones for an hour, newest CODES_KEPT. */
function pruneCodes(codes: LooseningCode[], nowMs: number): LooseningCode[] {
  const spentAt = (c: LooseningCode) => c.used_at ?? c.revoked_at ?? (c.expires_at <= nowMs ? c.expires_at : null);
  return codes.filter((c) => {
    const spent = spentAt(c);
    return spent === null || nowMs - spent < SPENT_CODES_KEPT_MS;
  }).slice(-CODES_KEPT);
}

export interface IssueInput {
  state: TradingState;
  digest: string;
  issued_by: string;
  reason: string;
}

/**
 * Records a new code. It replaces any unused code for the same state (one live code per state)
 * and lifts the guard: the operator issuing a code is the person the guard waits for.
 */
export function issueLooseningCode(
  book: LooseningCodeBook,
  input: IssueInput,
  nowMs: number,
  ttlSec: number,
): { book: LooseningCodeBook; code: LooseningCode } {
  const code: LooseningCode = {
    code_id: `code-${book.next_seq}`,
    state: input.state,
    digest: input.digest,
    issued_by: input.issued_by.trim(),
    reason: input.reason.trim(),
    issued_at: nowMs,
    expires_at: nowMs + ttlSec * 1000,
    used_at: null,
    revoked_at: null,
  };
  const replaced = book.codes.map((c) => (c.state === input.state && isLive(c, nowMs) ? { ...c, revoked_at: nowMs } : c));
  return {
    book: { codes: pruneCodes([...replaced, code], nowMs), failed_attempts: [], locked_at: null, next_seq: book.next_seq + 1 },
    code,
  };
}

const isLive = (c: LooseningCode, nowMs: number): boolean => c.used_at === null && c.revoked_at === null && nowMs < c.expires_at;

export type CodeVerdict =
  | { ok: true; code: LooseningCode }
  | { ok: false; why: 'locked' | 'unknown' | 'expired' | 'used' | 'revoked'; code: LooseningCode | null };

/** Whether an entered code's digest loosens this account to `state` now. Changes nothing. */
export function verifyLooseningCode(book: LooseningCodeBook | undefined, state: TradingState, digest: string, nowMs: number): CodeVerdict {
  if (!book) return { ok: false, why: 'unknown', code: null };
  if (book.locked_at !== null) return { ok: false, why: 'locked', code: null };
  // The digest is salted with the account and the state, so a match is a code for exactly these.
  const code = book.codes.find((c) => c.digest === digest && c.state === state);
  if (!code) return { ok: false, why: 'unknown', code: null };
  if (code.used_at !== null) return { ok: false, why: 'used', code };
  if (code.revoked_at !== null) return { ok: false, why: 'revoked', code };
  if (nowMs >= code.expires_at) return { ok: false, why: 'expired', code };
  return { ok: true, code };
}

/**
 * Counts a refused attempt; the MAX_FAILED_CODE_ATTEMPTS-th within the window locks redemptions and
 * revokes every unused code, since someone may have been guessing them.
 */
export function recordFailedAttempt(book: LooseningCodeBook | undefined, nowMs: number): LooseningCodeBook {
  const current = book ?? emptyLooseningCodeBook();
  if (current.locked_at !== null) return current;
  const failed_attempts = [...recentFailures(current, nowMs), nowMs];
  if (failed_attempts.length < MAX_FAILED_CODE_ATTEMPTS) return { ...current, failed_attempts };
  return {
    ...current,
    failed_attempts,
    locked_at: nowMs,
    codes: current.codes.map((c) => (isLive(c, nowMs) ? { ...c, revoked_at: nowMs } : c)),
  };
}

/** Spends a code that verified. */
export function markCodeUsed(book: LooseningCodeBook, codeId: string, nowMs: number): LooseningCodeBook {
  return { ...book, codes: pruneCodes(book.codes.map((c) => (c.code_id === codeId ? { ...c, used_at: nowMs } : c)), nowMs) };
}

/** Why a verdict refuses, and what to do: always a new code from the operator command. */
export function codeRefusalMessage(verdict: Exclude<CodeVerdict, { ok: true }>, account: string, state: TradingState): string {
  const fresh = `ask the operator to run \`${looseningCodeCommand(state, account)}\` and enter the new code`;
  switch (verdict.why) {
    case 'locked':
      return `too many wrong loosening codes were entered for account ${account}; every loosening through the host is refused until a new code is issued: ${fresh}`;
    case 'used':
      return `loosening code ${verdict.code?.code_id} was already used; a code works once: ${fresh}`;
    case 'revoked':
      return `loosening code ${verdict.code?.code_id} was replaced or revoked; ${fresh}`;
    case 'expired':
      return `loosening code ${verdict.code?.code_id} expired at ${new Date(verdict.code?.expires_at ?? 0).toISOString()}; ${fresh}`;
    default:
      return `the code entered is not a loosening code issued for account ${account} and state ${state} (a code works for one account and one state only); ${fresh}`;
  }
}
