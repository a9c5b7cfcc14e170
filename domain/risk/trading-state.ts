/**
 * Trading state transitions. ACTIVE → REDUCING → HALTED tightens and anyone with access may do it
 * at once; any move the other way loosens and needs a person (an MCP elicitation the person
 * accepted, or the operator CLI). An agent's attempt to loosen is refused, never queued. Pure.
 */
import {
  operatorCommand,
  TRADING_STATES,
  tradingStateRank,
  type SetTradingStateRequest,
  type SetTradingStateResult,
  type StateAuthority,
  type TradingState,
  type TradingStateChange,
} from '../../schemas/temporal/risk.js';

export class LooseningNeedsPersonError extends Error {}
export class InvalidStateRequestError extends Error {}

export const isLoosening = (from: TradingState, to: TradingState): boolean => tradingStateRank(to) < tradingStateRank(from);

/** Rejects a malformed request before it reaches the workflow's history. */
export function validateStateRequest(req: SetTradingStateRequest): void {
  if (!TRADING_STATES.includes(req.state)) throw new InvalidStateRequestError(`state must be one of ${TRADING_STATES.join(', ')}`);
  if (typeof req.reason !== 'string' || req.reason.trim().length < 3 || req.reason.length > 500) {
    throw new InvalidStateRequestError('reason must say why in 3-500 characters');
  }
  const authority = req.authority as StateAuthority | undefined;
  if (!authority || !['agent', 'person', 'breaker'].includes(authority.kind)) {
    throw new InvalidStateRequestError('authority must be an agent or a person');
  }
  if (authority.kind === 'breaker') throw new InvalidStateRequestError('only the risk workflow itself trips the breaker');
  if (authority.kind === 'person') {
    if (authority.via !== 'mcp_elicitation' && authority.via !== 'operator_cli') {
      throw new InvalidStateRequestError('a person confirms through an MCP elicitation or the operator CLI');
    }
    if (typeof authority.confirmed_by !== 'string' || authority.confirmed_by.trim().length === 0 || authority.confirmed_by.length > 200) {
      throw new InvalidStateRequestError('a person\'s change must name who confirmed it');
    }
  }
}

/**
 * The outcome of a request against the current state. Throws LooseningNeedsPersonError when an
 * agent asks to loosen: the caller turns it into a refusal naming the operator command.
 */
export function decideStateChange(
  account: string,
  current: TradingState,
  req: SetTradingStateRequest,
  nowMs: number,
): { result: SetTradingStateResult; change: TradingStateChange | null } {
  if (req.state === current) {
    return { result: { previous_state: current, trading_state: current, changed: false, change: null }, change: null };
  }
  if (isLoosening(current, req.state) && req.authority.kind !== 'person') {
    throw new LooseningNeedsPersonError(
      `moving from ${current} to ${req.state} loosens the trading state, which needs a person: confirm it through the host's ` +
        `elicitation prompt (set_trading_state asks when the host supports it), or run \`${operatorCommand(req.state, account)}\``,
    );
  }
  const change: TradingStateChange = { from: current, to: req.state, reason: req.reason.trim(), authority: req.authority, at: nowMs };
  return { result: { previous_state: current, trading_state: req.state, changed: true, change }, change };
}
