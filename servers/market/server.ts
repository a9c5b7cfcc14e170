#!/usr/bin/env node
/**
 * The market MCP server: venue streams into durable tick stores, history, snapshots and candles.
 * Thin adapter: every tool forwards into the shared worker, which alone talks to venues.
 */
import { runServer } from '../kit/serve-group.js';
import { marketTools } from './tools/index.js';

runServer({
  // Written next to the built server by the build; from source the listing is made from the contracts.
  listing: new URL('./tools.json', import.meta.url),
  group: 'market',
  tools: marketTools,
  instructions:
    'Market data. start_market_stream (or subscribe_cex_stream) streams tickers into durable per-symbol tick stores; get_historical_ticks and get_market_snapshot read them; get_ohlcv fetches candles; stop_market_stream ends streams. The default venue is the worker\'s MARKET_EXCHANGE; "sim" is an embedded simulated venue whose prices are labelled simulated.',
});
