/**
 * The scripted ensemble agent: an MCP host that waits on its inbox (next_prompt), and on each
 * prompt reads the portfolio and recent ticks of its pairs, runs the deterministic strategy, and
 * trades through submit_intent (the risk-checked intent bus) or, where the bus is absent,
 * place_mock_order. Each decision is explained in one line.
 */
import type { InboxMessage, getAgentStatus, nextPrompt } from '../../schemas/agents.js';
import type { ToolOutput } from '../../schemas/contract.js';
import type { submitIntent } from '../../schemas/execution-intents.js';
import type { placeMockOrder } from '../../schemas/execution-orders.js';
import type { getPortfolioStatus } from '../../schemas/ledger.js';
import type { getHistoricalTicks } from '../../schemas/market.js';
import type { McpHost } from '../host/mcp-host.js';
import { ToolCallError } from '../host/mcp-host.js';
import { decide, type Decision, type StrategyParams } from '../strategy/ensemble-strategy.js';
import { intentIdFor } from './trade-key.js';

export interface EnsembleEvent {
  kind: 'prompt' | 'decision' | 'trade' | 'rejected' | 'error';
  text: string;
  symbol?: string;
  message_id?: string;
}

export interface EnsembleAgentOptions {
  host: McpHost;
  agent: string;
  /** Ledger and risk account the agent trades in ("paper" unless several are kept). */
  account?: string;
  params: StrategyParams;
  /** Ticks of history each decision looks at. */
  lookbackTicks: number;
  waitSec: number;
  signal: AbortSignal;
  onEvent(event: EnsembleEvent): void;
}

function accountArg(opts: EnsembleAgentOptions): { account?: string } {
  return opts.account ? { account: opts.account } : {};
}

function decimalText(value: number, digits: number): string {
  return value.toFixed(digits).replace(/\.?0+$/, '') || '0';
}

async function trade(opts: EnsembleAgentOptions, message: InboxMessage, decision: Decision): Promise<void> {
  const intentId = intentIdFor(message.message_id, decision.symbol);
  const leg =
    decision.action === 'buy'
      ? { symbol: decision.symbol, side: 'buy', quote_notional: decimalText(decision.quoteNotional, 2) }
      : { symbol: decision.symbol, side: 'sell', qty: decimalText(decision.qty, 8) };
  const hasBus = opts.host.tools().some((t) => t.tool.name === 'submit_intent');
  try {
    if (hasBus) {
      const result = await opts.host.call<ToolOutput<typeof submitIntent>>(
        'submit_intent',
        // The source links the intent to the prompt behind it: the audit trail follows it to the nudge.
        { intent_id: intentId, intents: [leg], source: { agent: opts.agent, message_id: message.message_id }, ...accountArg(opts) },
      );
      if (result.decision === 'approved') {
        opts.onEvent({ kind: 'trade', symbol: decision.symbol, message_id: message.message_id, text: `intent ${intentId} approved → orders ${result.client_order_ids.join(', ')}` });
      } else {
        const why = result.reasons.map((r) => `${r.code}: ${r.message}`).join('; ');
        opts.onEvent({ kind: 'rejected', symbol: decision.symbol, message_id: message.message_id, text: `intent ${intentId} rejected by risk: ${why}` });
      }
      return;
    }
    const order = await opts.host.call<ToolOutput<typeof placeMockOrder>>(
      'place_mock_order',
      { client_order_id: intentId, type: 'market', ...leg, ...accountArg(opts) },
    );
    if (order.rejection) {
      opts.onEvent({ kind: 'rejected', symbol: decision.symbol, message_id: message.message_id, text: `order ${intentId} rejected: ${order.rejection.code}: ${order.rejection.message}` });
    } else {
      opts.onEvent({ kind: 'trade', symbol: decision.symbol, message_id: message.message_id, text: `order ${intentId} ${order.status}: ${order.filled_qty} @ ${order.avg_price ?? '-'}` });
    }
  } catch (err) {
    const text = err instanceof ToolCallError ? err.text : err instanceof Error ? err.message : String(err);
    opts.onEvent({ kind: 'error', symbol: decision.symbol, message_id: message.message_id, text: `${decision.action} ${decision.symbol} failed: ${text}` });
  }
}

/** The sender of the schedule's nudges: the only prompts this scripted agent trades on. */
export const NUDGE_SENDER = 'nudge-schedule';

/**
 * Handles one prompt. A nudge is the agent's cue to trade: read, decide for every selected pair,
 * trade, so that every trade traces back to a nudge. Other prompts are noted, not traded on.
 */
export async function handlePrompt(opts: EnsembleAgentOptions, message: InboxMessage): Promise<Decision[]> {
  opts.onEvent({ kind: 'prompt', message_id: message.message_id, text: `${message.from ?? 'someone'}: ${message.text}` });
  if (message.from !== NUDGE_SENDER) {
    opts.onEvent({ kind: 'decision', message_id: message.message_id, text: 'noted; trading waits for the next nudge' });
    return [];
  }
  const status = await opts.host.call<ToolOutput<typeof getAgentStatus>>('get_agent_status', { agent: opts.agent });
  if (status.selected_pairs.length === 0) {
    opts.onEvent({ kind: 'decision', message_id: message.message_id, text: 'no pairs selected yet: nothing to do' });
    return [];
  }
  const portfolio = await opts.host.call<ToolOutput<typeof getPortfolioStatus>>('get_portfolio_status', { ...accountArg(opts) });
  const ticks = await opts.host.call<ToolOutput<typeof getHistoricalTicks>>('get_historical_ticks', {
    symbols: status.selected_pairs,
    limit: opts.lookbackTicks,
    ...(status.exchange ? { exchange: status.exchange } : {}),
  });
  const equity = Number(portfolio.equity);
  const decisions: Decision[] = [];
  for (const symbol of status.selected_pairs) {
    const prices = ticks.series.find((s) => s.symbol === symbol)?.ticks.map((t) => t.last) ?? [];
    const positionQty = Number(portfolio.positions.find((p) => p.symbol === symbol)?.qty ?? '0');
    const decision = decide({ symbol, prices, positionQty }, equity, opts.params);
    decisions.push(decision);
    opts.onEvent({ kind: 'decision', symbol, message_id: message.message_id, text: decision.reason });
    if (decision.action !== 'hold') await trade(opts, message, decision);
  }
  return decisions;
}

/** Loops on the inbox until the signal aborts. */
export async function runEnsembleAgent(opts: EnsembleAgentOptions): Promise<void> {
  while (!opts.signal.aborted) {
    let message: InboxMessage | null;
    try {
      ({ message } = await opts.host.call<ToolOutput<typeof nextPrompt>>('next_prompt', { agent: opts.agent, wait_sec: opts.waitSec }, { timeoutMs: (opts.waitSec + 30) * 1000 }));
    } catch (err) {
      if (opts.signal.aborted) return;
      opts.onEvent({ kind: 'error', text: `next_prompt failed: ${err instanceof Error ? err.message : String(err)}; retrying in 2 s` });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      continue;
    }
    if (!message || opts.signal.aborted) continue;
    try {
      await handlePrompt(opts, message);
    } catch (err) {
      opts.onEvent({ kind: 'error', message_id: message.message_id, text: `prompt ${message.message_id} failed: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
}
