/**
 * Risk settings, read once at worker start-up: the limits from a JSON file (risk-limits.json at the
 * repository root, or RISK_LIMITS_FILE) over built-in defaults, then environment overrides named
 * RISK_<LIMIT NAME> (e.g. RISK_MAX_ORDER_NOTIONAL=10000), and TRADING_MODE. They reach the risk
 * workflow through an activity whose result is recorded in its history. No tool can change them:
 * an operator edits the file or the environment, restarts the worker and reloads the limits with
 * scripts/risk-operator.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PLAIN_DECIMAL_NO_LEADING_ZEROS, plainDecimalIsPositive } from '../../schemas/primitives/decimal.js';
import { isExchangeId } from '../../schemas/primitives/exchange-id.js';
import { SPOT_SYMBOL } from '../../schemas/primitives/spot-symbol.js';
import type { LimitsSource, RiskLimits, RiskSettings, TradingMode } from '../../schemas/temporal/risk.js';
import { envInteger } from './env-number.js';

export class RiskConfigError extends Error {}

const here = dirname(fileURLToPath(import.meta.url));
/** Works from source (worker/config/) and from the compiled copy (dist/worker/config/). */
const repoRoot = existsSync(resolve(here, '..', '..', 'package.json')) ? resolve(here, '..', '..') : resolve(here, '..', '..', '..');
export const DEFAULT_LIMITS_FILE = join(repoRoot, 'risk-limits.json');

/** The limits an account gets when neither the file nor the environment says otherwise. */
export const DEFAULT_RISK_LIMITS: RiskLimits = {
  allowed_symbols: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT', 'XRP/USDT'],
  max_data_age_ms: 15_000,
  max_spread_bps: 50,
  max_price_jump_bps: 300,
  max_order_notional: '25000',
  max_symbol_notional: '50000',
  max_gross_exposure: '100000',
  price_collar_bps: 200,
  fee_buffer_bps: 20,
  duplicate_window_sec: 30,
  max_orders_per_window: 20,
  throttle_window_sec: 60,
  max_daily_loss: '5000',
  max_drawdown_pct: 15,
  max_var_1d: '10000',
  var_confidence: 0.99,
  var_window_returns: 720,
  var_return_interval_sec: 5,
  var_min_observations: 24,
  reservation_ttl_sec: 120,
  duplicate_size_tolerance_pct: 1,
  max_rejections_per_window: 20,
  max_working_orders: 100,
};

const decimalAmount = z
  .string()
  .regex(PLAIN_DECIMAL_NO_LEADING_ZEROS, 'must be a plain decimal string such as "25000" or "1500.5"')
  .refine(plainDecimalIsPositive, 'must be greater than 0');
const bps = z.number().min(0).max(10_000);
const seconds = z.number().int().min(1).max(30 * 86_400);

const limitsSchema = z
  .object({
    allowed_symbols: z.array(z.string().regex(SPOT_SYMBOL, 'must be a ccxt unified spot symbol such as "BTC/USDT"')).min(1).max(500),
    max_data_age_ms: z.number().int().min(100).max(86_400_000),
    max_spread_bps: bps,
    max_price_jump_bps: bps,
    max_order_notional: decimalAmount,
    max_symbol_notional: decimalAmount,
    max_gross_exposure: decimalAmount,
    price_collar_bps: bps,
    fee_buffer_bps: bps,
    duplicate_window_sec: seconds,
    max_orders_per_window: z.number().int().min(1).max(100_000),
    throttle_window_sec: seconds,
    max_daily_loss: decimalAmount,
    max_drawdown_pct: z.number().gt(0).max(100),
    max_var_1d: decimalAmount,
    var_confidence: z.number().min(0.9).max(0.9999),
    var_window_returns: z.number().int().min(10).max(100_000),
    var_return_interval_sec: z.number().int().min(1).max(86_400),
    var_min_observations: z.number().int().min(10).max(100_000),
    reservation_ttl_sec: seconds,
    duplicate_size_tolerance_pct: z.number().min(0).max(100),
    max_rejections_per_window: z.number().int().min(1).max(100_000),
    max_working_orders: z.number().int().min(1).max(10_000),
  })
  .strict()
  .refine((l) => l.var_min_observations <= l.var_window_returns, {
    message: 'var_min_observations must not exceed var_window_returns',
    path: ['var_min_observations'],
  });

function describeIssues(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
}

function readLimitsFile(path: string): Partial<RiskLimits> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new RiskConfigError(`the risk limits file ${path} cannot be read as JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new RiskConfigError(`the risk limits file ${path} must hold one JSON object of limits (see risk-limits.json)`);
  }
  // A "$comment" key documents the file; every other key must be a known limit (a typo is an error, not a silent default).
  const { $comment: _comment, ...limits } = parsed as Record<string, unknown>;
  const unknown = Object.keys(limits).filter((k) => !(k in DEFAULT_RISK_LIMITS));
  if (unknown.length) {
    throw new RiskConfigError(`the risk limits file ${path} has unknown limit(s) ${unknown.join(', ')}; known: ${Object.keys(DEFAULT_RISK_LIMITS).join(', ')}`);
  }
  return limits as Partial<RiskLimits>;
}

/** RISK_<NAME> for a limit name, e.g. max_order_notional → RISK_MAX_ORDER_NOTIONAL. */
export const limitEnvName = (limit: keyof RiskLimits): string => `RISK_${limit.toUpperCase()}`;

function envOverride(limit: keyof RiskLimits, raw: string): unknown {
  const fallback = DEFAULT_RISK_LIMITS[limit];
  if (Array.isArray(fallback)) return raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (typeof fallback === 'string') return raw;
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value)) throw new RiskConfigError(`${limitEnvName(limit)}=${raw} is not a number`);
  return value;
}

export function riskLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): { limits: RiskLimits; source: LimitsSource } {
  const explicitFile = env.RISK_LIMITS_FILE?.trim();
  const file = explicitFile ? resolve(explicitFile) : DEFAULT_LIMITS_FILE;
  if (explicitFile && !existsSync(file)) {
    throw new RiskConfigError(`RISK_LIMITS_FILE=${explicitFile} does not exist; point it at a JSON file of limits (see risk-limits.json)`);
  }
  const fromFile = existsSync(file) ? readLimitsFile(file) : {};
  const merged: Record<string, unknown> = { ...DEFAULT_RISK_LIMITS, ...fromFile };
  const envOverrides: string[] = [];
  for (const limit of Object.keys(DEFAULT_RISK_LIMITS) as Array<keyof RiskLimits>) {
    const raw = env[limitEnvName(limit)]?.trim();
    if (raw === undefined || raw === '') continue;
    merged[limit] = envOverride(limit, raw);
    envOverrides.push(limitEnvName(limit));
  }
  const parsed = limitsSchema.safeParse(merged);
  if (!parsed.success) {
    const where = [existsSync(file) ? file : null, envOverrides.length ? envOverrides.join(', ') : null].filter(Boolean).join(' and ');
    throw new RiskConfigError(`risk limits are invalid (${where || 'built-in defaults'}): ${describeIssues(parsed.error)}`);
  }
  return { limits: parsed.data, source: { file: existsSync(file) ? file : null, env_overrides: envOverrides } };
}

export function tradingModeFromEnv(env: NodeJS.ProcessEnv = process.env): TradingMode {
  const mode = env.TRADING_MODE?.trim() || 'paper';
  if (mode !== 'paper' && mode !== 'live') throw new RiskConfigError(`TRADING_MODE=${mode} must be "paper" or "live"`);
  return mode;
}

export type RiskConfig = Omit<RiskSettings, 'exchange'> & { exchange: string | null };

/**
 * The exchange is left null to mean "the market's default venue" (MARKET_EXCHANGE), resolved when
 * the settings are loaded, unless RISK_MARKET_EXCHANGE names another.
 */
export function riskConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RiskConfig {
  const { limits, source } = riskLimitsFromEnv(env);
  const exchange = env.RISK_MARKET_EXCHANGE?.trim() || null;
  if (exchange !== null && !isExchangeId(exchange)) {
    throw new RiskConfigError(`RISK_MARKET_EXCHANGE=${exchange} is not a ccxt exchange id (e.g. binance) or "sim"`);
  }
  const decisionMemory = envInteger(env, 'RISK_DECISION_MEMORY', 500, 10, 5_000);
  return {
    mode: tradingModeFromEnv(env),
    exchange,
    limits,
    limits_source: source,
    decision_memory: decisionMemory,
    continue_as_new_after: envInteger(env, 'RISK_CONTINUE_AS_NEW_AFTER', 500, 1, 100_000),
    history_limit: envInteger(env, 'RISK_HISTORY_LIMIT', 9_000, 100, 40_000),
    loosening_code_ttl_sec: envInteger(env, 'RISK_LOOSENING_CODE_TTL_SEC', 600, 1, 3_600),
  };
}

/**
 * Checks a complete set of limits (the global ones with an account's overrides on top, see
 * accounts-file.ts) against the same rules as the limits file: the limits, or what is wrong.
 */
export function checkRiskLimits(candidate: Record<string, unknown>): { ok: true; limits: RiskLimits } | { ok: false; problems: string } {
  const parsed = limitsSchema.safeParse(candidate);
  return parsed.success ? { ok: true, limits: parsed.data } : { ok: false, problems: describeIssues(parsed.error) };
}
