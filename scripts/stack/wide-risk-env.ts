/**
 * Worker environment for stacks that exercise order mechanics rather than limits (tests, the chaos
 * run, memory measurements): the gate reads quotes from `exchange` and its size, exposure, loss,
 * VaR and collar limits are wide enough that it judges every order on its merits without refusing
 * it for size. Callers add what their run needs on top (data age, order rate).
 */
export function wideRiskEnv(exchange: string, symbols: readonly string[]): Record<string, string> {
  return {
    RISK_MARKET_EXCHANGE: exchange,
    RISK_ALLOWED_SYMBOLS: symbols.join(','),
    RISK_MAX_ORDER_NOTIONAL: '100000000',
    RISK_MAX_SYMBOL_NOTIONAL: '100000000',
    RISK_MAX_GROSS_EXPOSURE: '100000000',
    RISK_MAX_VAR_1D: '100000000',
    RISK_MAX_DAILY_LOSS: '100000000',
    RISK_PRICE_COLLAR_BPS: '10000',
    RISK_MAX_DATA_AGE_MS: '3600000',
    RISK_VAR_RETURN_INTERVAL_SEC: '1',
    RISK_VAR_MIN_OBSERVATIONS: '10',
    RISK_VAR_WINDOW_RETURNS: '100000',
    RISK_DUPLICATE_WINDOW_SEC: '1',
    RISK_MAX_ORDERS_PER_WINDOW: '10000',
  };
}
