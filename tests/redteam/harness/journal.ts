/**
 * The hostile client's own record of what it asked and what it was answered, with the time each
 * answer arrived. The invariant checker holds the stack's state against it: a HALTED answered at
 * time t means no fill may carry a later timestamp, an order the client never cancelled must not
 * end cancelled without a reason, a check must have reserved nothing, and so on.
 */
import type { TradingState } from '../../../schemas/temporal/risk.js';

/** The outcome of one tool call as the client saw it. */
export interface CallOutcome {
  ok: boolean;
  /** The error code of an isError answer (the text before the first colon), else null. */
  error_code: string | null;
  text: string;
  structured: Record<string, unknown> | null;
  answered_at: number;
}

export type StateChangeBy = 'agent' | 'elicitation' | 'operator';

export interface StateAnswer {
  account: string;
  requested: TradingState;
  by: StateChangeBy;
  answered_at: number;
  ok: boolean;
  error_code: string | null;
  /** The answer's own account of the change, when it succeeded. */
  result: { previous_state: TradingState; trading_state: TradingState; changed: boolean } | null;
}

/** An order the client knows of: placed by it, or an order of an intent it submitted. */
export interface TrackedOrder {
  client_order_id: string;
  account: string;
  symbol: string;
  side: 'buy' | 'sell';
  source: 'place_mock_order' | 'submit_intent';
}

export interface OrderAnswer {
  client_order_id: string;
  account: string;
  answered_at: number;
  outcome: CallOutcome;
}

export interface CheckAnswer {
  account: string;
  intent_id: string;
  outcome: CallOutcome;
}

/** A call naming an account the operator never configured: it must be refused UNKNOWN_ACCOUNT. */
export interface UnknownAccountCall {
  account: string;
  tool: string;
  outcome: CallOutcome;
}

/** A call carrying a key such as `__proto__` or `constructor`: it must be refused INVALID_INPUT. */
export interface ForbiddenKeyCall {
  tool: string;
  key: string;
  outcome: CallOutcome;
}

/** A one-time loosening code the operator's side issued (only its id is kept). */
export interface IssuedCode {
  account: string;
  state: TradingState;
  code_id: string;
}

export class Journal {
  readonly stateAnswers: StateAnswer[] = [];
  readonly orders = new Map<string, TrackedOrder>();
  readonly orderAnswers: OrderAnswer[] = [];
  readonly checks: CheckAnswer[] = [];
  /** client_order_ids the client asked to cancel. */
  readonly cancelled = new Set<string>();
  readonly unknownAccountCalls: UnknownAccountCall[] = [];
  readonly forbiddenKeyCalls: ForbiddenKeyCall[] = [];
  readonly issuedCodes: IssuedCode[] = [];

  track(order: TrackedOrder): void {
    if (!this.orders.has(order.client_order_id)) this.orders.set(order.client_order_id, order);
  }

  ordersOf(account: string): TrackedOrder[] {
    return [...this.orders.values()].filter((o) => o.account === account);
  }
}
