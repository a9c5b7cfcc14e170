/**
 * set_trading_state: an agent tightens at once; a loosening is first refused by the risk workflow,
 * then put to the person at the host through MCP elicitation when the host supports it. The host is
 * untrusted and could answer the form itself, so the form asks, besides the person's name, for the
 * one-time code the operator command printed on the operator's side (`loosen-code`); the risk
 * workflow applies the change as the person's only if that code holds for this account and state.
 * Without elicitation it stays refused and the message names the operator commands. Anything
 * unexpected leaves the state as it was.
 */
import { setTradingState } from '../../../schemas/risk.js';
import { failureType } from '../../../schemas/temporal/failure-type.js';
import {
  LOOSENING_CODE_INVALID,
  LOOSENING_CODE_LOCKED,
  LOOSENING_NEEDS_PERSON,
  looseningCodeCommand,
  operatorCommand,
  riskWorkflowId,
  type SetTradingStateResult,
  type TradingState,
} from '../../../schemas/temporal/risk.js';
import { failureChain } from '../../../temporal/failure-chain.js';
import { redeemLooseningCode, setTradingState as changeTradingState } from '../../../temporal/clients/risk.js';
import { defineTool, type ToolContext } from '../../kit/define-tool.js';
import { ToolError } from '../../kit/tool-error.js';
import { accountOf } from './account-of.js';

interface PersonAnswer {
  confirmedBy: string;
  code: string;
}

const codeHint = (state: TradingState, account: string): string =>
  `Ask the operator for a one-time code (\`${looseningCodeCommand(state, account)}\`) and call set_trading_state again, or have them run \`${operatorCommand(state, account)}\`.`;

/** The person's confirmation, name and code, or why there is none. */
async function askPerson(ctx: ToolContext, account: string, state: TradingState, reason: string): Promise<PersonAnswer> {
  const hint = codeHint(state, account);
  if (!ctx.elicit) {
    throw new ToolError(
      'LOOSENING_NEEDS_PERSON',
      `moving account ${account} to ${state} loosens the trading state, which only a person may do, and this host cannot ask one (it did not declare MCP elicitation)`,
      // A loosening code is of no use on a host that cannot show the form.
      `A person can loosen it with \`${operatorCommand(state, account)}\`.`,
      false,
    );
  }
  const answer = await ctx.elicit({
    mode: 'form',
    message:
      `An agent asks to loosen trading for account ${account} to ${state}. Its reason: "${reason}". ` +
      'Loosening lets more risk through the gate. Confirm only if you, a person, agree, and enter the one-time code ' +
      `the operator command prints (\`${looseningCodeCommand(state, account)}\`); a code works once, for this account and state only.`,
    requestedSchema: {
      type: 'object',
      properties: {
        confirm: { type: 'boolean', title: `Loosen to ${state}`, description: `Set trading for account ${account} to ${state}` },
        confirmed_by: { type: 'string', title: 'Your name', description: 'Recorded with the change', minLength: 1, maxLength: 100 },
        code: {
          type: 'string',
          title: 'One-time code',
          description: `From \`npm run risk:operator -- loosen-code ${state} --account ${account}\`, e.g. 7K3QF-X9M2P`,
        },
      },
      // The code is checked here and in the risk workflow, not by the form: a missing or malformed one
      // gets a refusal that says what to do rather than a protocol error.
      required: ['confirm', 'confirmed_by'],
    },
  });
  const name = typeof answer.content?.confirmed_by === 'string' ? answer.content.confirmed_by.trim() : '';
  if (answer.action !== 'accept' || answer.content?.confirm !== true || !name) {
    const how = answer.action === 'accept' ? 'did not confirm it' : answer.action === 'decline' ? 'declined' : 'dismissed the question';
    throw new ToolError('LOOSENING_DECLINED', `the person at the host ${how}; the trading state of account ${account} is unchanged`, hint, false);
  }
  const code = typeof answer.content?.code === 'string' ? answer.content.code.trim() : '';
  if (!code) {
    throw new ToolError('LOOSENING_CODE_INVALID', `no one-time code was entered; the trading state of account ${account} is unchanged`, hint, false);
  }
  return { confirmedBy: name, code };
}

export const setTradingStateTool = defineTool(setTradingState, async (input, ctx) => {
  const account = accountOf(input);
  const state = input.state as TradingState;
  const client = await ctx.temporal.client();
  const taskQueue = ctx.temporal.env.taskQueue;
  const resend = { retryUnprocessed: ctx.signal };
  try {
    const { result, runId } = await changeTradingState(client, taskQueue, account, { state, reason: input.reason, authority: { kind: 'agent' } }, resend);
    return { account, ...pick(result), confirmed_by: null, via: 'agent' as const, workflow_id: riskWorkflowId(account), run_id: runId };
  } catch (err) {
    if (failureType(err) !== LOOSENING_NEEDS_PERSON) throw err;
  }
  const person = await askPerson(ctx, account, state, input.reason);
  try {
    const { result, runId } = await redeemLooseningCode(
      client,
      taskQueue,
      account,
      { state, reason: input.reason, confirmed_by: person.confirmedBy, code: person.code },
      resend,
    );
    return { account, ...pick(result), confirmed_by: person.confirmedBy, via: 'mcp_elicitation' as const, workflow_id: riskWorkflowId(account), run_id: runId };
  } catch (err) {
    const type = failureType(err);
    if (type !== LOOSENING_CODE_INVALID && type !== LOOSENING_CODE_LOCKED) throw err;
    const code = type === LOOSENING_CODE_LOCKED ? 'LOOSENING_CODE_LOCKED' : 'LOOSENING_CODE_INVALID';
    throw new ToolError(
      code,
      `the trading state of account ${account} is unchanged: ${refusalText(err)}`,
      `The operator can also set it directly: \`${operatorCommand(state, account)}\`.`,
      false,
    );
  }
});

/** The workflow's own words for the refusal: the message of the typed failure in the chain. */
const refusalText = (err: unknown): string => {
  const typed = failureChain(err).find((e) => (e as { type?: unknown }).type);
  return typed?.message ?? (err instanceof Error ? err.message : String(err));
};

const pick = (r: SetTradingStateResult) => ({ previous_state: r.previous_state, trading_state: r.trading_state, changed: r.changed });
