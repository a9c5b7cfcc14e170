/**
 * Valid arguments for tools, keyed by tool name: the contract tests call every tool listed here
 * (for example while Temporal is down, where each must answer TEMPORAL_UNAVAILABLE). Every group
 * that has tools needs at least one entry, so each server's path into Temporal is exercised; the
 * tests check that each entry still parses against its tool's input contract.
 */
export const sampleArguments: Record<string, Record<string, unknown>> = {
  // agents
  prompt_agent: { target: 'contract-sample', message: 'sample prompt', message_id: 'contract-sample-1' },
  next_prompt: { agent: 'contract-sample', wait_sec: 0 },
  select_pairs: { symbols: ['BTC/USDT'], exchange: 'sim', agent: 'contract-sample', request_id: 'contract-sample-1' },
  set_nudge_schedule: { agent: 'contract-sample', interval_sec: 30 },
  get_agent_status: { agent: 'contract-sample' },
  get_conversation: { agent: 'contract-sample' },
  save_conversation_turn: { agent: 'contract-sample', turn_id: 'contract-sample-1', messages: [{ role: 'user', content: 'hello' }] },
  // market
  get_market_snapshot: { symbols: ['BTC/USDT'] },
  get_historical_ticks: { symbol: 'BTC/USDT' },
  get_ohlcv: { symbol: 'BTC/USDT' },
  start_market_stream: { symbols: ['BTC/USDT'] },
  stop_market_stream: { symbols: ['BTC/USDT'] },
  subscribe_cex_stream: { exchange: 'sim', symbols: ['BTC/USDT'], interval_sec: 1 },
  // execution
  place_mock_order: { client_order_id: 'contract-sample-1', symbol: 'BTC/USDT', side: 'buy', type: 'market', quote_notional: '100' },
  get_order_status: { client_order_id: 'contract-sample-1' },
  cancel_order: { client_order_id: 'contract-sample-1' },
  sign_and_send_tx: { idempotency_key: 'contract-sample-1', chain_id: 31337, to: `0x${'11'.repeat(20)}`, value_wei: '1' },
  get_tx_status: { idempotency_key: 'contract-sample-1' },
  submit_intent: { intent_id: 'contract-sample-1', intents: [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.01' }] },
  subscribe_intents: { agent: 'contract-sample' },
  unsubscribe_intents: { agent: 'contract-sample' },
  // ledger
  get_audit_trail: { intent_id: 'contract-sample-1' },
  get_portfolio_status: {},
  get_fills: { limit: 10 },
  get_performance: { window: '24h' },
  // risk
  pre_trade_risk_check: { intent_id: 'contract-sample-1', intents: [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.01' }] },
  get_risk_limits: {},
  set_trading_state: { state: 'HALTED', reason: 'contract sample' },
  get_risk_report: {},
};
