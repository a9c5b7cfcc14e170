/**
 * The Node side of loosening codes: the operator's process draws a code from node:crypto, and the
 * operator's process and the risk server hash a code the same way. Only the digest ever leaves the
 * process, so neither a workflow's history nor its state holds a code (domain/risk/loosening-codes.ts).
 */
import { createHash, randomInt } from 'node:crypto';
import {
  LOOSENING_CODE_ALPHABET,
  LOOSENING_CODE_LENGTH,
  looseningCodeDigestMessage,
} from '../../domain/risk/loosening-codes.js';
import type { TradingState } from '../../schemas/temporal/risk.js';

/** A fresh code in canonical form (randomInt draws without modulo bias). */
export function generateLooseningCode(): string {
  let code = '';
  for (let i = 0; i < LOOSENING_CODE_LENGTH; i += 1) code += LOOSENING_CODE_ALPHABET[randomInt(LOOSENING_CODE_ALPHABET.length)];
  return code;
}

/** SHA-256 hex of a canonical code salted with the account and the state it loosens to. */
export const looseningCodeDigest = (account: string, state: TradingState, normalizedCode: string): string =>
  createHash('sha256').update(looseningCodeDigestMessage(account, state, normalizedCode), 'utf8').digest('hex');
