/**
 * What every red-team test file shares: one stack per file (started before its tests, stopped
 * after), and per test a party of its own: a fresh account, a journal, the hostile client writing
 * into it, and the invariant checker with the account's limits as they were at the start.
 */
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, expect } from 'vitest';
import { SIM_MARKETS_BY_SYMBOL } from '../../../worker/activities/market/venues/sim/sim-catalog.js';
import { uniqueAccount } from '../../helpers/risk-driver.js';
import { formatViolations, InvariantChecker } from '../invariants.js';
import { HostileClient } from './hostile-client.js';
import { Journal } from './journal.js';
import { startRedteamStack, type RedteamStack } from './redteam-stack.js';

export function useRedteamStack(name: string, overrides: Record<string, string> = {}): () => RedteamStack {
  let stack: RedteamStack | undefined;
  beforeAll(async () => {
    stack = await startRedteamStack(name, overrides);
  });
  afterAll(async () => {
    await stack?.close();
  });
  return () => {
    if (!stack) throw new Error(`the ${name} red-team stack did not start`);
    return stack;
  };
}

export interface Party {
  account: string;
  journal: Journal;
  client: HostileClient;
  checker: InvariantChecker;
  /** Runs the invariant checker and fails the test with every violation it found. */
  expectInvariants(): Promise<void>;
}

/** A party on a fresh test account, or on `account` when the file configured its own. */
export async function newParty(stack: RedteamStack, prefix: string, account = uniqueAccount(prefix)): Promise<Party> {
  const journal = new Journal();
  const client = new HostileClient(stack, journal);
  const checker = await InvariantChecker.start(client, account);
  return {
    account,
    journal,
    client,
    checker,
    async expectInvariants() {
      const violations = await checker.check();
      expect(violations, formatViolations(violations)).toEqual([]);
    },
  };
}

/** A base quantity worth about `quote` at the sim venue's mid now, a whole number of the symbol's steps. */
export function qtyWorth(stack: RedteamStack, symbol: string, quote: number): string {
  const step = new Decimal(String(SIM_MARKETS_BY_SYMBOL.get(symbol)?.amountStep ?? '0.0001'));
  return new Decimal(quote / stack.quotes.mid(symbol)).dividedToIntegerBy(step).times(step).toFixed();
}

/** A price `bps` basis points from the sim venue's mid now, with the symbol's usual decimals. */
export function priceAway(stack: RedteamStack, symbol: string, bps: number, decimals = 2): string {
  return (stack.quotes.mid(symbol) * (1 + bps / 10_000)).toFixed(decimals);
}

export const uniqueId = (prefix: string): string => `${prefix}-${crypto.randomUUID().slice(0, 12)}`;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
