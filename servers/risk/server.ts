#!/usr/bin/env node
/**
 * The risk MCP server: the pre-trade gate's answer, the account's limits and trading state, the
 * one state change an agent may make (tightening), and the risk report. Thin adapter: every tool
 * forwards into the shared worker, where the gate lives and no tool can bypass it.
 */
import { runServer } from '../kit/serve-group.js';
import { riskTools } from './tools/index.js';

runServer({
  // Written next to the built server by the build; from source the listing is made from the contracts.
  listing: new URL('./tools.json', import.meta.url),
  group: 'risk',
  tools: riskTools,
  instructions:
    'The risk gate of the trading stack. pre_trade_risk_check says whether an intent may trade and why not (reason codes); every order passes the same gate anyway. get_risk_limits shows the limits, trading state and mode; get_risk_report shows VaR, expected shortfall, exposure and the loss breaker. set_trading_state tightens (ACTIVE → REDUCING → HALTED) at once; loosening needs a person.',
});
