#!/usr/bin/env node
/**
 * The ledger MCP server: reads of the execution ledger (one durable ledger workflow per account).
 * Thin adapter: every tool runs a short report workflow in the shared worker.
 */
import { runServer } from '../kit/serve-group.js';
import { ledgerTools } from './tools/index.js';

runServer({
  // Written next to the built server by the build; from source the listing is made from the contracts.
  listing: new URL('./tools.json', import.meta.url),
  group: 'ledger',
  tools: ledgerTools,
  instructions:
    'The execution ledger of the paper account. get_portfolio_status: cash, equity, positions at marks, PnL, fees, exposure; get_fills: the journal of fills with their order and intent ids; get_performance: return, Sharpe, Sortino, drawdown, win rate, profit factor and the equity curve.',
});
