/** The `review_portfolio` prompt: what the ensemble agent does on each nudge, with its pairs filled in. */
import { z } from 'zod';
import { agentName } from '../../../schemas/common.js';
import { readAgentState } from '../../../temporal/clients/agent-state.js';
import { definePrompt } from '../../kit/define-resource.js';

export const reviewPortfolioPrompt = definePrompt({
  name: 'review_portfolio',
  title: 'Review the portfolio',
  description: 'Review positions, PnL and current prices of the selected pairs, then decide whether to trade, within the risk limits.',
  args: z.object({ agent: agentName.optional().describe('Agent whose pairs to review (default ensemble)') }),
  async render({ agent = 'ensemble' }, { temporal }) {
    let pairs = 'the selected pairs (none selected yet: call select_pairs first)';
    try {
      const state = await readAgentState(await temporal.client(), agent);
      if (state?.selection) pairs = `${state.selection.symbols.join(', ')} on ${state.selection.exchange}`;
    } catch {
      // Temporal down: the prompt still reads well without the pairs filled in.
    }
    return [
      `You are the ${agent} trading agent. Review the portfolio and decide whether to trade ${pairs}.`,
      '1. get_portfolio_status: cash, positions, unrealized and realized PnL, exposure.',
      '2. get_market_snapshot and get_historical_ticks for each pair: trend, volatility, spread, staleness.',
      '3. get_risk_limits and get_risk_report: trading state, limits, VaR headroom. Never try to loosen a limit.',
      '4. For each trade: pre_trade_risk_check, then submit_intent with a fresh intent_id. Explain each decision in one line.',
      '5. If nothing is worth doing, say so in one line. Then call next_prompt to wait for the next nudge.',
    ].join('\n');
  },
});
