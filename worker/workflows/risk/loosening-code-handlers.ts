/**
 * The risk workflow's loosening-code updates. The operator command issues a code for one account
 * and one target state (only its salted digest arrives here); set_trading_state redeems it once the
 * person at the host has entered it, and only a code that holds lets a change through MCP
 * elicitation count as a person's. Every refused attempt is counted in the handler, never in a
 * validator (a validator's refusal leaves no trace, so guessing there would be free).
 */
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import {
  INVALID_RISK_REQUEST,
  LOOSENING_CODE_INVALID,
  LOOSENING_CODE_LOCKED,
  issueLooseningCodeUpdate,
  redeemLooseningCodeUpdate,
  tradingStateRank,
  type IssueLooseningCodeRequest,
  type IssuedLooseningCode,
  type RedeemLooseningCodeRequest,
  type RiskCarriedState,
  type SetTradingStateRequest,
  type SetTradingStateResult,
  type TradingState,
} from '../../../schemas/temporal/risk.js';
import {
  DEFAULT_LOOSENING_CODE_TTL_SEC,
  MAX_FAILED_CODE_ATTEMPTS,
  codeRefusalMessage,
  emptyLooseningCodeBook,
  isCodeDigest,
  issueLooseningCode,
  markCodeUsed,
  recordFailedAttempt,
  verifyLooseningCode,
} from '../../../domain/risk/loosening-codes.js';
import { tradingStateChanged } from '../../../domain/risk/risk-state.js';
import { InvalidStateRequestError, decideStateChange } from '../../../domain/risk/trading-state.js';

export interface LooseningCodeDeps {
  account: string;
  /** One state change at a time, once the settings have loaded (the risk workflow's own lock). */
  exclusive<T>(work: (s: RiskCarriedState) => Promise<T> | T): Promise<T>;
  /** Counts toward the run's continue-as-new. */
  countHandled(): void;
}

/** A code loosens to one of these; HALTED needs no code, anyone may tighten to it. */
const CODE_STATES: readonly TradingState[] = ['ACTIVE', 'REDUCING'];

const invalid = (message: string) => ApplicationFailure.create({ type: INVALID_RISK_REQUEST, message, nonRetryable: true });

const isName = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0 && value.length <= 200;
const isReason = (value: unknown): value is string => typeof value === 'string' && value.trim().length >= 3 && value.length <= 500;

function validateIssue(req: IssueLooseningCodeRequest): void {
  if (!CODE_STATES.includes(req?.state)) throw invalid(`a loosening code loosens to ${CODE_STATES.join(' or ')}`);
  if (!isCodeDigest(req.code_digest)) throw invalid('code_digest must be the SHA-256 hex digest of the salted code');
  if (!isReason(req.reason)) throw invalid('reason must say why in 3-500 characters');
  if (!isName(req.issued_by)) throw invalid('issued_by must name who issued the code');
}

function validateRedeem(req: RedeemLooseningCodeRequest): void {
  if (!CODE_STATES.includes(req?.state)) throw invalid(`a loosening code loosens to ${CODE_STATES.join(' or ')}`);
  if (!isReason(req.reason)) throw invalid('reason must say why in 3-500 characters');
  if (!isName(req.confirmed_by)) throw invalid('a person\'s change must name who confirmed it');
  if (!isCodeDigest(req.code_digest)) {
    throw ApplicationFailure.create({
      type: LOOSENING_CODE_INVALID,
      nonRetryable: true,
      message: 'a loosening through MCP elicitation needs the digest of the one-time code the person entered',
    });
  }
}

export function installLooseningCodeHandlers({ account, exclusive, countHandled }: LooseningCodeDeps): void {
  setHandler(
    issueLooseningCodeUpdate,
    (req): Promise<IssuedLooseningCode> =>
      exclusive((s) => {
        const ttlSec = s.settings.loosening_code_ttl_sec ?? DEFAULT_LOOSENING_CODE_TTL_SEC;
        const { book, code } = issueLooseningCode(
          s.loosening_codes ?? emptyLooseningCodeBook(),
          { state: req.state, digest: req.code_digest, issued_by: req.issued_by, reason: req.reason },
          Date.now(),
          ttlSec,
        );
        s.loosening_codes = book;
        countHandled();
        return { account, code_id: code.code_id, state: code.state, issued_at: code.issued_at, expires_at: code.expires_at };
      }),
    { validator: validateIssue },
  );

  setHandler(
    redeemLooseningCodeUpdate,
    (req): Promise<SetTradingStateResult> =>
      exclusive((s) => {
        const nowMs = Date.now();
        countHandled();
        const verdict = verifyLooseningCode(s.loosening_codes, req.state, req.code_digest, nowMs);
        if (!verdict.ok) {
          s.loosening_codes = recordFailedAttempt(s.loosening_codes, nowMs);
          if (s.loosening_codes.locked_at !== null) {
            const tripped = verdict.why === 'locked' ? '' : `This was the ${MAX_FAILED_CODE_ATTEMPTS}th refused code within ten minutes. `;
            throw ApplicationFailure.create({
              type: LOOSENING_CODE_LOCKED,
              nonRetryable: true,
              message: tripped + codeRefusalMessage({ ok: false, why: 'locked', code: null }, account, req.state),
            });
          }
          throw ApplicationFailure.create({ type: LOOSENING_CODE_INVALID, nonRetryable: true, message: codeRefusalMessage(verdict, account, req.state) });
        }
        // The code is kept unspent for a move that is no loosening any more (someone changed the state meanwhile).
        if (tradingStateRank(req.state) > tradingStateRank(s.trading_state)) {
          throw invalid(`account ${account} is ${s.trading_state} now, so moving to ${req.state} would tighten it, which needs no code: call set_trading_state again`);
        }
        const codeId = verdict.code.code_id;
        const request: SetTradingStateRequest = {
          state: req.state,
          reason: req.reason,
          authority: { kind: 'person', via: 'mcp_elicitation', confirmed_by: req.confirmed_by.trim(), code_id: codeId },
        };
        let decided: ReturnType<typeof decideStateChange>;
        try {
          decided = decideStateChange(account, s.trading_state, request, nowMs, codeId);
        } catch (err) {
          throw err instanceof InvalidStateRequestError ? invalid(err.message) : err;
        }
        if (decided.change) {
          tradingStateChanged(s, decided.change);
          s.loosening_codes = markCodeUsed(s.loosening_codes as NonNullable<RiskCarriedState['loosening_codes']>, codeId, nowMs);
        }
        return decided.result;
      }),
    { validator: validateRedeem },
  );
}
