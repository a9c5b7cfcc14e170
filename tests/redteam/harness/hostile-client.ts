/**
 * The untrusted side of the red team: every tool call goes through the spawned MCP servers and is
 * written into the journal with the time its answer arrived, so the invariant checker can hold the
 * stack against what this client was told. The few trusted moves (the operator changing the state
 * or issuing a loosening code) go through temporal/clients/risk.ts, as the operator CLI does, and are
 * recorded as the operator's.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { TradingState } from '../../../schemas/temporal/risk.js';
import { issueLooseningCode, resetBreaker, setTradingState } from '../../../temporal/clients/risk.js';
import type { ConnectedServer } from '../../helpers/mcp-servers.js';
import type { CallOutcome, Journal, StateChangeBy } from './journal.js';
import type { RedteamStack } from './redteam-stack.js';

const CALL_TIMEOUT_MS = 60_000;
const ERROR_CODE = /^([A-Z][A-Z0-9_]*): /;

export interface LegArgs {
  symbol: string;
  side: 'buy' | 'sell';
  qty?: string;
  quote_notional?: string;
  limit_price?: string;
}

export interface OrderArgs extends LegArgs {
  client_order_id: string;
  account: string;
  type: 'market' | 'limit';
  intent_id?: string;
  expires_after_sec?: number;
}

export interface IntentArgs {
  intent_id: string;
  account: string;
  intents: LegArgs[];
  max_slippage_bps?: number;
}

function outcomeOf(result: CallToolResult): CallOutcome {
  const first = result.content[0];
  const text = first?.type === 'text' ? first.text : JSON.stringify(result.content);
  return {
    ok: !result.isError,
    error_code: result.isError ? (ERROR_CODE.exec(text)?.[1] ?? 'UNCODED_ERROR') : null,
    text,
    structured: (result.structuredContent as Record<string, unknown> | undefined) ?? null,
    answered_at: Date.now(),
  };
}

export class HostileClient {
  constructor(
    readonly stack: RedteamStack,
    readonly journal: Journal,
  ) {}

  /** Any tool of any server; a call that throws (timeout, protocol error) is an outcome too. */
  async call(server: ConnectedServer, tool: string, args: Record<string, unknown>): Promise<CallOutcome> {
    try {
      return outcomeOf((await server.client.callTool({ name: tool, arguments: args }, undefined, { timeout: CALL_TIMEOUT_MS })) as CallToolResult);
    } catch (err) {
      return { ok: false, error_code: 'CALL_FAILED', text: err instanceof Error ? err.message : String(err), structured: null, answered_at: Date.now() };
    }
  }

  async check(account: string, intentId: string, legs: LegArgs[]): Promise<CallOutcome> {
    const outcome = await this.call(this.stack.risk, 'pre_trade_risk_check', { intent_id: intentId, intents: legs, account });
    this.journal.checks.push({ account, intent_id: intentId, outcome });
    return outcome;
  }

  async placeOrder(args: OrderArgs): Promise<CallOutcome> {
    const outcome = await this.call(this.stack.execution, 'place_mock_order', { ...args });
    this.journal.orderAnswers.push({ client_order_id: args.client_order_id, account: args.account, answered_at: outcome.answered_at, outcome });
    if (outcome.ok && outcome.structured?.client_order_id === args.client_order_id) {
      this.journal.track({ client_order_id: args.client_order_id, account: args.account, symbol: args.symbol, side: args.side, source: 'place_mock_order' });
    }
    return outcome;
  }

  async submitIntent(args: IntentArgs): Promise<CallOutcome> {
    const outcome = await this.call(this.stack.execution, 'submit_intent', { ...args });
    const ids = outcome.ok && Array.isArray(outcome.structured?.client_order_ids) ? (outcome.structured.client_order_ids as string[]) : [];
    ids.forEach((id, i) => {
      const leg = args.intents[i];
      if (leg) this.journal.track({ client_order_id: id, account: args.account, symbol: leg.symbol, side: leg.side, source: 'submit_intent' });
    });
    return outcome;
  }

  async cancel(clientOrderId: string): Promise<CallOutcome> {
    this.journal.cancelled.add(clientOrderId);
    return this.call(this.stack.execution, 'cancel_order', { client_order_id: clientOrderId });
  }

  /**
   * set_trading_state as the agent: through the plain risk server ('agent'), or through the server
   * whose host answers elicitation forms as it was told ('elicitation').
   */
  async setState(account: string, state: TradingState, reason: string, by: Exclude<StateChangeBy, 'operator'> = 'agent'): Promise<CallOutcome> {
    const server = by === 'agent' ? this.stack.risk : this.stack.elicitingRisk;
    const outcome = await this.call(server, 'set_trading_state', { state, reason, account });
    const s = outcome.structured;
    this.journal.stateAnswers.push({
      account,
      requested: state,
      by,
      answered_at: outcome.answered_at,
      ok: outcome.ok,
      error_code: outcome.error_code,
      result: outcome.ok && s ? { previous_state: s.previous_state as TradingState, trading_state: s.trading_state as TradingState, changed: s.changed === true } : null,
    });
    return outcome;
  }

  /** The operator's side (trusted): what `risk:operator -- set-state` does. */
  async operatorSetState(account: string, state: TradingState, reason: string): Promise<void> {
    const { client } = this.stack.temporal;
    const { result } = await setTradingState(client, this.stack.taskQueue, account, { state, reason, authority: { kind: 'person', via: 'operator_cli', confirmed_by: 'red-team operator' } });
    this.journal.stateAnswers.push({
      account,
      requested: state,
      by: 'operator',
      answered_at: Date.now(),
      ok: true,
      error_code: null,
      result: { previous_state: result.previous_state, trading_state: result.trading_state, changed: result.changed },
    });
  }

  /** The operator's side (trusted): what `risk:operator -- reset-breaker` does. */
  async operatorResetBreaker(account: string, reason: string): Promise<void> {
    await resetBreaker(this.stack.temporal.client, this.stack.taskQueue, account, { reason, requested_by: 'red-team operator' });
  }

  /** The operator's side (trusted): what `risk:operator -- loosen-code` does; returns the code. */
  async issueCode(account: string, state: TradingState): Promise<string> {
    const { code, issued } = await issueLooseningCode(this.stack.temporal.client, this.stack.taskQueue, account, { state, reason: 'red-team: a person will loosen', issued_by: 'red-team operator' });
    this.journal.issuedCodes.push({ account, state, code_id: issued.code_id });
    return code;
  }

  /** A call on an account nobody configured, recorded so the checker demands UNKNOWN_ACCOUNT. */
  async onUnknownAccount(server: ConnectedServer, tool: string, args: Record<string, unknown> & { account: string }): Promise<CallOutcome> {
    const outcome = await this.call(server, tool, args);
    this.journal.unknownAccountCalls.push({ account: args.account, tool, outcome });
    return outcome;
  }

  /**
   * A call whose arguments carry `key` as an own property (built through JSON.parse, which is how
   * `__proto__` arrives from a real host), at the top level or inside the first intent leg.
   */
  async withForbiddenKey(server: ConnectedServer, tool: string, args: Record<string, unknown>, key: string, where: 'top' | 'leg' = 'top'): Promise<CallOutcome> {
    const injected = JSON.parse(`{${JSON.stringify(key)}: {"trading_state": "ACTIVE"}}`) as Record<string, unknown>;
    // Spread defines own properties; Object.assign or `obj[key] =` would set the prototype instead.
    let withKey: Record<string, unknown> = where === 'top' ? { ...args, ...injected } : { ...args };
    if (where === 'leg' && Array.isArray(args.intents) && args.intents.length > 0) {
      const [first, ...rest] = args.intents as Array<Record<string, unknown>>;
      withKey = { ...withKey, intents: [{ ...first, ...injected }, ...rest] };
    }
    const outcome = await this.call(server, tool, withKey);
    this.journal.forbiddenKeyCalls.push({ tool, key, outcome });
    return outcome;
  }
}
