/**
 * Drives the risk gate through a plain Temporal client with the product's own code paths: ticks
 * enter tick stores the way a market stream delivers them (signal-with-start), fills enter the
 * ledger the way the order workflow books them, and checks and state changes reach the risk workflow
 * through the risk client the order gate, the intent bus and the risk tools use
 * (temporal/clients/risk.ts).
 *
 * Tick stores are addressed by exchange, and their ids are global to the namespace; each driver
 * uses an exchange id of its own (RISK_MARKET_EXCHANGE for its worker), so parallel test files
 * never feed or read each other's stores.
 */
import type { Client } from '@temporalio/client';
import type { LedgerBalances, LedgerFill } from '../../schemas/temporal/ledger.js';
import type { MarketTick } from '../../schemas/temporal/market.js';
import {
  intentOrderId,
  type RiskCheckSource,
  type RiskDecision,
  type RiskLeg,
  type RiskStateView,
  type SetTradingStateRequest,
  type SetTradingStateResult,
} from '../../schemas/temporal/risk.js';
import { marketConfigFromEnv } from '../../worker/config/market-config.js';
import { ledgerSettingsFromEnv } from '../../worker/config/ledger-config.js';
import { bookFills, readLedgerBalances } from '../../temporal/clients/ledger.js';
import { streamSettings } from '../../worker/activities/market/stream-settings.js';
import { deliverBatch } from '../../temporal/clients/tick-store.js';
import { queryRiskState, requestRiskDecision, setTradingState } from '../../temporal/clients/risk.js';
import { SimVenue } from '../../worker/activities/market/venues/sim/sim-venue.js';
import { eventually } from './eventually.js';
import { TEST_ACCOUNT_PREFIX } from './test-accounts.js';

const BATCH = 500;

/** An exchange id no other test uses: its tick stores are this driver's alone. */
export const uniqueExchange = (): string => `rt_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
/** Every test account starts with TEST_ACCOUNT_PREFIX, which the test workers' accounts file configures. */
export const uniqueAccount = (prefix: string): string => `${TEST_ACCOUNT_PREFIX}${prefix}-${crypto.randomUUID().slice(0, 8)}`;

export type LegSpec = Partial<RiskLeg> & Pick<RiskLeg, 'symbol' | 'side'>;

export class RiskDriver {
  readonly sim = new SimVenue(42);

  constructor(
    readonly client: Client,
    readonly taskQueue: string,
    readonly exchange: string,
    /** The worker's environment, for the same ledger and store settings it uses. */
    readonly env: Record<string, string> = {},
  ) {}

  /** Delivers ticks to a symbol's store as a stream cycle would, oldest first. */
  async feed(symbol: string, ticks: MarketTick[]): Promise<void> {
    const settings = streamSettings(marketConfigFromEnv(this.env)).store;
    for (let i = 0; i < ticks.length; i += BATCH) {
      await deliverBatch(this.client, this.taskQueue, { exchange: this.exchange, symbol, simulated: true }, settings, {
        stream_id: `risk-test:${this.exchange}`,
        received_at: Date.now(),
        ticks: ticks.slice(i, i + BATCH),
      });
    }
  }

  /**
   * A price path of `count` ticks `stepMs` apart ending now: a deterministic walk whose per-step
   * log return cycles through `returns` (so its volatility is known), quoted `spreadBps` wide.
   */
  walk(opts: { mid: number; count: number; stepMs: number; returns: number[]; spreadBps?: number; endMs?: number }): MarketTick[] {
    const end = opts.endMs ?? Date.now();
    const half = ((opts.spreadBps ?? 2) / 20_000) * opts.mid;
    const ticks: MarketTick[] = [];
    let mid = opts.mid;
    const mids: number[] = [mid];
    for (let i = 1; i < opts.count; i += 1) {
      mid *= Math.exp(opts.returns[i % opts.returns.length] as number);
      mids.push(mid);
    }
    // The path ends at opts.mid, so the latest quote is the one a test names.
    const scale = opts.mid / (mids[mids.length - 1] as number);
    mids.forEach((m, i) => {
      const price = m * scale;
      ticks.push({ ts: end - (opts.count - 1 - i) * opts.stepMs, bid: price - half, ask: price + half, last: price });
    });
    return ticks;
  }

  /** The simulated venue's own quotes for the last `seconds`, so a store agrees with the sim order books. */
  simHistory(symbol: string, seconds: number, endMs = Date.now()): MarketTick[] {
    const ticks: MarketTick[] = [];
    for (let s = seconds - 1; s >= 0; s -= 1) ticks.push(this.sim.tickAt(symbol, endMs - s * 1000));
    return ticks;
  }

  async check(account: string, intentId: string, legs: LegSpec[], source: RiskCheckSource = 'pre_trade_risk_check'): Promise<RiskDecision> {
    return requestRiskDecision(this.client, this.taskQueue, {
      intent_id: intentId,
      account,
      source,
      legs: legs.map((leg, i) => ({ qty: null, quote_notional: null, limit_price: null, client_order_id: intentOrderId(intentId, i), ...leg })),
    });
  }

  async state(account: string): Promise<RiskStateView> {
    return eventually(async () => {
      const view = await queryRiskState(this.client, account);
      if (!view) throw new Error('risk workflow not loaded yet');
      return view;
    });
  }

  async setState(account: string, request: SetTradingStateRequest): Promise<SetTradingStateResult> {
    return (await setTradingState(this.client, this.taskQueue, account, request)).result;
  }

  /** Books a fill in the account's ledger (starting it), as the order workflow does. */
  async fill(account: string, fill: Pick<LedgerFill, 'symbol' | 'side' | 'qty' | 'price'> & Partial<LedgerFill>): Promise<LedgerBalances> {
    const ledger = { client: this.client, taskQueue: this.taskQueue, account, settings: ledgerSettingsFromEnv(this.env) };
    const id = crypto.randomUUID();
    const outcome = await bookFills(ledger, [
      {
        fill_id: `risk-test-fill-${id}`,
        client_order_id: `risk-test-${id}`,
        intent_id: null,
        order_workflow_id: `order:risk-test-${id}`,
        fee: '0',
        fee_currency: 'USDT',
        liquidity: 'taker',
        ts: Date.now(),
        ...fill,
      },
    ]);
    if (outcome.refused) throw new Error(`the ledger refused the test fill: ${outcome.refused.type}: ${outcome.refused.message}`);
    return (await readLedgerBalances(ledger)).data;
  }
}
