/**
 * set_trading_state: an agent tightens at once; a loosening is first refused by the risk workflow,
 * then put to the person at the host through MCP elicitation when the host supports it, and applied
 * only with their explicit confirmation and name. Without elicitation it stays refused and the
 * message names the operator command. Anything unexpected leaves the state as it was.
 */
import { setTradingState } from '../../../schemas/risk.js';
import { failureType } from '../../../schemas/temporal/failure-type.js';
import {
  LOOSENING_NEEDS_PERSON,
  operatorCommand,
  riskWorkflowId,
  type SetTradingStateRequest,
  type SetTradingStateResult,
  type TradingState,
} from '../../../schemas/temporal/risk.js';
import { setTradingState as changeTradingState, type TradingStateChanged } from '../../../temporal/clients/risk.js';
import { defineTool, type ToolContext } from '../../kit/define-tool.js';
import { ToolError } from '../../kit/tool-error.js';
import { accountOf } from './account-of.js';

async function sendStateChange(ctx: ToolContext, account: string, request: SetTradingStateRequest): Promise<TradingStateChanged> {
  return changeTradingState(await ctx.temporal.client(), ctx.temporal.env.taskQueue, account, request, { retryUnprocessed: ctx.signal });
}

/** The person's confirmation, or why there is none. */
async function askPerson(ctx: ToolContext, account: string, state: TradingState, reason: string): Promise<string> {
  const hint = `A person can loosen it with \`${operatorCommand(state, account)}\`.`;
  if (!ctx.elicit) {
    throw new ToolError(
      'LOOSENING_NEEDS_PERSON',
      `moving account ${account} to ${state} loosens the trading state, which only a person may do, and this host cannot ask one (it did not declare MCP elicitation)`,
      hint,
      false,
    );
  }
  const answer = await ctx.elicit({
    mode: 'form',
    message:
      `An agent asks to loosen trading for account ${account} to ${state}. Its reason: "${reason}". ` +
      'Loosening lets more risk through the gate. Confirm only if you, a person, agree.',
    requestedSchema: {
      type: 'object',
      properties: {
        confirm: { type: 'boolean', title: `Loosen to ${state}`, description: `Set trading for account ${account} to ${state}` },
        confirmed_by: { type: 'string', title: 'Your name', description: 'Recorded with the change', minLength: 1, maxLength: 100 },
      },
      required: ['confirm', 'confirmed_by'],
    },
  });
  const name = typeof answer.content?.confirmed_by === 'string' ? answer.content.confirmed_by.trim() : '';
  if (answer.action !== 'accept' || answer.content?.confirm !== true || !name) {
    const how = answer.action === 'accept' ? 'did not confirm it' : answer.action === 'decline' ? 'declined' : 'dismissed the question';
    throw new ToolError('LOOSENING_DECLINED', `the person at the host ${how}; the trading state of account ${account} is unchanged`, hint, false);
  }
  return name;
}

export const setTradingStateTool = defineTool(setTradingState, async (input, ctx) => {
  const account = accountOf(input);
  const state = input.state as TradingState;
  try {
    const { result, runId } = await sendStateChange(ctx, account, { state, reason: input.reason, authority: { kind: 'agent' } });
    return { account, ...pick(result), confirmed_by: null, via: 'agent' as const, workflow_id: riskWorkflowId(account), run_id: runId };
  } catch (err) {
    if (failureType(err) !== LOOSENING_NEEDS_PERSON) throw err;
  }
  const confirmedBy = await askPerson(ctx, account, state, input.reason);
  const { result, runId } = await sendStateChange(ctx, account, {
    state,
    reason: input.reason,
    authority: { kind: 'person', via: 'mcp_elicitation', confirmed_by: confirmedBy },
  });
  return { account, ...pick(result), confirmed_by: confirmedBy, via: 'mcp_elicitation' as const, workflow_id: riskWorkflowId(account), run_id: runId };
});

const pick = (r: SetTradingStateResult) => ({ previous_state: r.previous_state, trading_state: r.trading_state, changed: r.changed });
