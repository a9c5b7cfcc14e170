/**
 * The pre-trade gate every paper order passes before it touches the book: the seam where the
 * risk group's engine plugs in. Until it does, the gate reads the account's balances from the
 * ledger and runs the interim checks (pre-trade-checks.ts): positive size, known symbol, fresh
 * price, enough cash or holdings. The risk issue replaces the body of preTradeGate with a call
 * into the risk workflow and keeps its signature: input in, approval or a coded rejection out.
 */
import { proxyActivities } from '@temporalio/workflow';
import { LEDGER_CLOSED } from '../../../../schemas/temporal/ledger.js';
import type { OrderRejection, PaperOrderRequest, PaperOrderSettings } from '../../../../schemas/temporal/orders.js';
import type { LedgerActivities } from '../../../activities/ledger/index.js';
import { checkPreTrade, type BookFetch } from './pre-trade-checks.js';

const { readLedgerBalances } = proxyActivities<LedgerActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 milliseconds', maximumAttempts: 5, nonRetryableErrorTypes: [LEDGER_CLOSED] },
});

export interface PreTradeGateInput {
  request: PaperOrderRequest;
  settings: PaperOrderSettings;
  /** The venue's answer for the order's symbol, fetched by the order workflow just before. */
  fetched: BookFetch;
}

export type GateDecision = { approved: true } | { approved: false; rejection: OrderRejection };

export async function preTradeGate(input: PreTradeGateInput): Promise<GateDecision> {
  const balances = await readLedgerBalances({ account: input.request.account });
  const rejection = checkPreTrade({ ...input, balances: balances.data, nowMs: Date.now() });
  return rejection ? { approved: false, rejection } : { approved: true };
}
