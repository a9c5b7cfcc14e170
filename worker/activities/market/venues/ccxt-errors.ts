/**
 * Turns whatever a ccxt call threw into an ApplicationFailure whose type and retryability say what
 * the caller should do. ccxt's OperationFailed family (network trouble, timeouts, rate limits,
 * unparseable answers) is transient and retried, rate limits after a pause the venue asked for;
 * its ExchangeError family (bad symbol, rejected request) will not change on retry.
 */
import { ApplicationFailure } from '@temporalio/common';
import ccxt from 'ccxt';
import {
  UNKNOWN_SYMBOL,
  VENUE_BAD_RESPONSE,
  VENUE_RATE_LIMITED,
  VENUE_REJECTED,
  VENUE_UNAVAILABLE,
} from '../../../../schemas/temporal/market.js';

/** ccxt messages quote whole response bodies; keep enough to diagnose, not a page of HTML. */
const MAX_MESSAGE_CHARS = 300;

export interface RateLimitPolicy {
  /** Pause after a 429 that names no Retry-After, ms. */
  rateLimitBackoffMs: number;
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= MAX_MESSAGE_CHARS ? oneLine : `${oneLine.slice(0, MAX_MESSAGE_CHARS)}…`;
}

/** Retry-After in seconds or as an HTTP date, from the venue's last response, in ms. */
export function retryAfterMs(headers: Record<string, unknown> | undefined, nowMs: number): number | undefined {
  const raw = headers?.['Retry-After'];
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : undefined;
}

export function venueFailure(
  err: unknown,
  venueId: string,
  policy: RateLimitPolicy,
  lastHeaders?: Record<string, unknown>,
  /** HTTP status of the answer the error came from, when there was one. */
  lastHttpStatus?: number,
): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const message = shorten(err instanceof Error ? err.message : String(err));
  const cause = err instanceof Error ? err : undefined;
  if (err instanceof ccxt.BadSymbol) {
    return ApplicationFailure.create({ type: UNKNOWN_SYMBOL, nonRetryable: true, message: `${venueId} does not list the symbol: ${message}`, cause });
  }
  const rateLimited = err instanceof ccxt.RateLimitExceeded || err instanceof ccxt.DDoSProtection;
  if (!rateLimited && lastHttpStatus !== undefined && lastHttpStatus >= 500) {
    // A 5xx is the venue's own failure whatever its body says (Binance answers -1001 "Internal
    // error" with one): an outage to wait out, not an answer to give up on.
    return ApplicationFailure.create({ type: VENUE_UNAVAILABLE, message: `${venueId} is failing (HTTP ${lastHttpStatus}): ${message}`, cause });
  }
  if (rateLimited) {
    // A 418 (DDoSProtection on Binance) is an IP ban that escalates if ignored: wait longer.
    const fallback = err instanceof ccxt.DDoSProtection ? policy.rateLimitBackoffMs * 4 : policy.rateLimitBackoffMs;
    const delayMs = retryAfterMs(lastHeaders, Date.now()) ?? fallback;
    return ApplicationFailure.create({
      type: VENUE_RATE_LIMITED,
      message: `${venueId} is rate limiting requests (retrying after ${Math.round(delayMs / 1000)} s): ${message}`,
      nextRetryDelay: delayMs,
      details: [{ retry_after_ms: delayMs }],
      cause,
    });
  }
  if (err instanceof ccxt.NetworkError) {
    return ApplicationFailure.create({ type: VENUE_UNAVAILABLE, message: `${venueId} is unreachable or failing: ${message}`, cause });
  }
  if (err instanceof ccxt.OperationFailed) {
    return ApplicationFailure.create({ type: VENUE_BAD_RESPONSE, message: `${venueId} sent an answer that could not be used: ${message}`, cause });
  }
  if (err instanceof ccxt.ExchangeError) {
    return ApplicationFailure.create({ type: VENUE_REJECTED, nonRetryable: true, message: `${venueId} rejected the request: ${message}`, cause });
  }
  // Anything else was thrown while ccxt parsed an answer it did not expect (a malformed body).
  return ApplicationFailure.create({ type: VENUE_BAD_RESPONSE, message: `${venueId} sent an answer that could not be parsed: ${message}`, cause });
}
