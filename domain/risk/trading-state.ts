/**
 * Trading state transitions. ACTIVE → REDUCING → HALTED tightens and anyone with access may do it
 * at once; any move the other way loosens and needs a person: the operator CLI, or a person at an
 * MCP host who entered a one-time loosening code the operator command issued (loosening-codes.ts),
 * since the host itself can answer an elicitation form. An agent's attempt to loosen is refused,
 * never queued. Pure.
 */
import {
  looseningCodeCommand,
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
/** A person's change through MCP elicitation that did not come with a redeemed loosening code. */
export class LooseningCodeRequiredError extends InvalidStateRequestError {}

const codeRequired = (state: TradingState, account: string): LooseningCodeRequiredError =>
  new LooseningCodeRequiredError(
    `a person's change through MCP elicitation is applied only with a one-time loosening code: the operator runs ` +
      `\`${looseningCodeCommand(state, account)}\` and the person enters the code when set_trading_state asks`,
  );

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
    if (authority.code_id !== undefined && (authority.via !== 'mcp_elicitation' || typeof authority.code_id !== 'string' || authority.code_id.length > 40)) {
      throw new InvalidStateRequestError('code_id names the loosening code a person redeemed through MCP elicitation, and nothing else');
    }
  }
}

/**
 * The outcome of a request against the current state. Throws LooseningNeedsPersonError when an
 * agent asks to loosen: the caller turns it into a refusal naming the operator command. A person's
 * change through MCP elicitation holds only with `redeemedCodeId`, the id of the loosening code the
 * workflow has just verified for it (and the authority must name that same code); anything else,
 * such as a request sent straight to setTradingStateUpdate, throws LooseningCodeRequiredError:
 * the server that sends it speaks for an untrusted host, which can answer its own form.
 */
export function decideStateChange(
  account: string,
  current: TradingState,
  req: SetTradingStateRequest,
  nowMs: number,
  redeemedCodeId?: string,
): { result: SetTradingStateResult; change: TradingStateChange | null } {
  const authority = req.authority;
  if (authority.kind === 'person' && authority.via === 'mcp_elicitation' && (redeemedCodeId === undefined || authority.code_id !== redeemedCodeId)) {
    throw codeRequired(req.state, account);
  }
  if (req.state === current) {
    return { result: { previous_state: current, trading_state: current, changed: false, change: null }, change: null };
  }
  if (isLoosening(current, req.state) && req.authority.kind !== 'person') {
    throw new LooseningNeedsPersonError(
      `moving from ${current} to ${req.state} loosens the trading state, which needs a person: the operator runs ` +
        `\`${operatorCommand(req.state, account)}\`, or issues a one-time code with \`${looseningCodeCommand(req.state, account)}\` ` +
        `that a person enters when set_trading_state asks through the host's elicitation prompt`,
    );
  }
  const change: TradingStateChange = { from: current, to: req.state, reason: req.reason.trim(), authority: req.authority, at: nowMs };
  return { result: { previous_state: current, trading_state: req.state, changed: true, change }, change };
}
