/**
 * The pre-trade gate every paper order passes before it touches the book. First the account's
 * risk workflow decides (worker/workflows/risk/order-gate.ts: limits, trading state, breaker, VaR;
 * an intent's approval admits only the order it reserved, checked again), failing closed; then
 * the order is checked against the book it would execute on (pre-trade-checks.ts): known symbol,
 * fresh book, liquidity, and cash or holdings for what that book would fill. An order naming an
 * account the operator did not configure never gets past the first step: the gate's activity
 * refuses it before any call, and the order workflow fails with UnknownAccount (order-gate.ts).
 */
import { proxyActivities } from '@temporalio/workflow';
import { LEDGER_CLOSED } from '../../../../schemas/temporal/ledger.js';
import type { OrderRejection, PaperOrderRequest, PaperOrderSettings } from '../../../../schemas/temporal/orders.js';
import type { LedgerActivities } from '../../../activities/ledger/index.js';
import { askRiskGate } from '../../risk/order-gate.js';
import { checkPreTrade, type BookFetch } from '../../../../domain/orders/pre-trade-checks.js';
import type { OrderPath } from './order-path.js';

const { readLedgerBalances } = proxyActivities<LedgerActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 milliseconds', maximumAttempts: 5, nonRetryableErrorTypes: [LEDGER_CLOSED] },
});

export interface PreTradeGateInput {
  request: PaperOrderRequest;
  settings: PaperOrderSettings;
  /** Reads the venue's book for the order's symbol; null when it could not (the order is then already rejected). */
  fetchBook(): Promise<BookFetch | null>;
  /** True once the order is cancelled: an order waiting for a busy gate stops waiting. */
  stopped?: () => boolean;
  /** How this run asks the gate and reads the ledger (order-path.ts). */
  path: OrderPath;
}

export type GateDecision =
  /** askedAt: the time the book was asked for (order-path.ts, timeBeforeLocalRead). */
  | { approved: true; fetched: BookFetch; askedAt: number }
  | { approved: false; rejection: OrderRejection }
  | { approved: false; rejection: null };

export async function preTradeGate(input: PreTradeGateInput): Promise<GateDecision> {
  const risk = await askRiskGate(input.request, { bySignal: input.path.asksBySignal }, input.stopped);
  if (!risk.approved) return risk;
  // The book is read after the risk decision, so the order fills at prices no older than the gate.
  const askedAt = Date.now();
  const fetched = await input.fetchBook();
  if (!fetched) return { approved: false, rejection: null };
  // Read once, by the gate, on the current path: the gate already refused what free cash (after
  // working orders) or holdings cannot cover, and the ledger's validator refuses any fill they cannot.
  const balances = input.path.ledgerReadOnce ? null : (await readLedgerBalances({ account: input.request.account })).data;
  const nowMs = input.path.timeBeforeLocalRead ? askedAt : Date.now();
  const rejection = checkPreTrade({ request: input.request, settings: input.settings, fetched, balances, nowMs });
  return rejection ? { approved: false, rejection } : { approved: true, fetched, askedAt };
}
