/**
 * Strategy parameters: defaults in code, overridden by a JSON file (ENSEMBLE_STRATEGY_FILE) and
 * then by ENSEMBLE_STRATEGY (inline JSON). Unknown keys and bad values are refused by name.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_STRATEGY_PARAMS, type StrategyParams } from './ensemble-strategy.js';

function parseOverrides(source: string, text: string): Partial<StrategyParams> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not valid JSON`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${source} must be a JSON object`);
  for (const [key, value] of Object.entries(parsed)) {
    if (!(key in DEFAULT_STRATEGY_PARAMS)) throw new Error(`${source}: unknown parameter ${key}; known: ${Object.keys(DEFAULT_STRATEGY_PARAMS).join(', ')}`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`${source}: ${key} must be a non-negative number`);
  }
  return parsed as Partial<StrategyParams>;
}

export function loadStrategyParams(env: NodeJS.ProcessEnv = process.env): StrategyParams {
  let params = { ...DEFAULT_STRATEGY_PARAMS };
  const file = env.ENSEMBLE_STRATEGY_FILE?.trim();
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new Error(`ENSEMBLE_STRATEGY_FILE=${file} cannot be read`);
    }
    params = { ...params, ...parseOverrides(`ENSEMBLE_STRATEGY_FILE=${file}`, text) };
  }
  const inline = env.ENSEMBLE_STRATEGY?.trim();
  if (inline) params = { ...params, ...parseOverrides('ENSEMBLE_STRATEGY', inline) };
  if (params.fastPeriod >= params.slowPeriod) throw new Error('fastPeriod must be smaller than slowPeriod');
  return params;
}
