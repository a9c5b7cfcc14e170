/**
 * Where an account name meets the operator's accounts file inside the worker: every activity that
 * reads, books or decides for an account resolves it here first, so an account nobody configured
 * is refused (UnknownAccount, non-retryable) before anything is started for it, whichever server
 * or workflow passed the name on. Settings of a configured account are the global ones with its
 * entry's initial cash and limit overrides.
 */
import { CallError } from '../../temporal/call-error.js';
import { UNKNOWN_ACCOUNT_CODE, unknownAccountFailure } from '../../schemas/temporal/accounts.js';
import type { LedgerSettings } from '../../schemas/temporal/ledger.js';
import type { RiskSettings } from '../../schemas/temporal/risk.js';
import { configuredAccount, type ConfiguredAccount } from '../config/accounts-file.js';
import type { WorkerConfig } from '../config/worker-config.js';

/** The account's configuration; throws the UnknownAccount failure when the file has none for it. */
export function requireAccount(config: WorkerConfig, account: string): ConfiguredAccount {
  const configured = configuredAccount(config.accounts, account);
  if (!configured) throw unknownAccountFailure(account);
  return configured;
}

/** The ledger settings a new ledger of the account starts with. */
export function accountLedgerSettings(config: WorkerConfig, account: string): LedgerSettings {
  return { ...config.ledger, initialCash: requireAccount(config, account).entry.initialCash };
}

/** The risk settings of the account: its limits; the exchange defaults to the market's. */
export function accountRiskSettings(config: WorkerConfig, account: string): RiskSettings {
  const { entry } = requireAccount(config, account);
  return { ...config.risk, limits: entry.limits, exchange: config.risk.exchange ?? config.market.defaultExchange };
}

/**
 * An activity passes on a client's UNKNOWN_ACCOUNT CallError as the typed failure, so the calling
 * workflow's retry policy stops and the tool reports the code; anything else unchanged.
 */
export function asActivityFailure(err: unknown, account: string): unknown {
  return err instanceof CallError && err.code === UNKNOWN_ACCOUNT_CODE ? unknownAccountFailure(account) : err;
}
