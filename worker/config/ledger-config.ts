/**
 * Ledger settings from the worker's environment, read once at start-up with errors that name the
 * variable. They enter the ledger workflow as its start input (and are refreshed at every
 * continue-as-new), never by the workflow reading the environment.
 */
import { Decimal } from 'decimal.js';
import { isPlainDecimal } from '../../schemas/primitives/decimal.js';
import type { LedgerSettings } from '../../schemas/temporal/ledger.js';
import { envInteger } from './env-number.js';

export class LedgerConfigError extends Error {}

const CURRENCY = /^[A-Z0-9]{2,10}$/;

function initialCashFromEnv(raw: string | undefined): string {
  const text = raw?.trim() || '100000';
  if (!isPlainDecimal(text)) {
    throw new LedgerConfigError(`INITIAL_CASH=${text} is not a non-negative decimal written plainly (e.g. 100000 or 2500.50)`);
  }
  return new Decimal(text).toFixed();
}

/*
 * The upper bounds keep the state a ledger carries into its next run (journal entries about
 * 0.45 KiB each, remembered fill ids about 0.05 KiB, curve points about 0.06 KiB) well under
 * Temporal's 2 MiB payload limit even with every bound at its maximum.
 */
export function ledgerSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): LedgerSettings {
  const quoteCurrency = env.LEDGER_QUOTE_CURRENCY?.trim() || 'USDT';
  if (!CURRENCY.test(quoteCurrency)) {
    throw new LedgerConfigError(`LEDGER_QUOTE_CURRENCY=${quoteCurrency} is not a currency code (uppercase, e.g. USDT)`);
  }
  const journalLimit = envInteger(env, 'LEDGER_JOURNAL_LIMIT', 500, 10, 2_000);
  const dedupeWindow = envInteger(env, 'LEDGER_DEDUPE_WINDOW', 2_000, 10, 10_000);
  if (dedupeWindow < journalLimit) {
    throw new LedgerConfigError(
      `LEDGER_DEDUPE_WINDOW=${dedupeWindow} is smaller than LEDGER_JOURNAL_LIMIT=${journalLimit}; every journaled fill id must stay remembered`,
    );
  }
  return {
    initialCash: initialCashFromEnv(env.INITIAL_CASH),
    quoteCurrency,
    journalLimit,
    dedupeWindow,
    equityCurveLimit: envInteger(env, 'LEDGER_EQUITY_CURVE_LIMIT', 2_000, 10, 5_000),
    equitySampleSec: envInteger(env, 'LEDGER_EQUITY_SAMPLE_SEC', 300, 1, 86_400),
    continueAsNewAfter: envInteger(env, 'LEDGER_CONTINUE_AS_NEW_AFTER', 1_000, 1, 100_000),
    historyLimit: envInteger(env, 'LEDGER_HISTORY_LIMIT', 9_000, 100, 40_000),
  };
}
