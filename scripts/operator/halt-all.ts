/**
 * `risk:operator -- halt-all`: the operator's global halt. Every account of the accounts file is
 * set to HALTED as a person via the operator CLI: each account configured by name (its risk
 * workflow is started HALTED if it never ran), and for each prefix template every account of that
 * prefix whose risk workflow is running on the task queue (a visibility query; one that never ran
 * has nothing to halt, and starts with the gate's checks like any other). One account's failure
 * does not stop the others; each is reported with its previous and new state.
 */
import type { Client } from '@temporalio/client';
import type { SetTradingStateResult } from '../../schemas/temporal/risk.js';
import { CallError } from '../../temporal/call-error.js';
import { listRunningRiskAccounts, setTradingState } from '../../temporal/clients/risk.js';
import { accountsConfigFromEnv } from '../../worker/config/accounts-config.js';
import { configuredAccount, type AccountsConfig } from '../../worker/config/accounts-file.js';
import { ledgerSettingsFromEnv } from '../../worker/config/ledger-config.js';
import { riskLimitsFromEnv } from '../../worker/config/risk-config.js';

/** Accounts halted at once: enough to be quick with many sub-accounts, few enough not to swamp the worker. */
const CONCURRENCY = 8;

export interface HaltAllRequest {
  reason: string;
  by: string;
}

export type HaltOutcome = { account: string; result: SetTradingStateResult } | { account: string; error: string };

/** The accounts file as the worker reads it (ACCOUNTS_FILE or accounts.json), from the operator's environment. */
export function operatorAccounts(env: NodeJS.ProcessEnv = process.env): AccountsConfig {
  return accountsConfigFromEnv(env, { initialCash: ledgerSettingsFromEnv(env).initialCash, limits: riskLimitsFromEnv(env).limits });
}

/** The accounts halt-all reaches: exact names, then the running accounts of each prefix, each once. */
export async function accountsToHalt(client: Client, taskQueue: string, accounts: AccountsConfig): Promise<string[]> {
  const names = new Set([...accounts.named.keys()].sort());
  for (const template of accounts.prefixes) {
    for (const account of await listRunningRiskAccounts(client, taskQueue, template.prefix as string)) {
      // The template must still be what configures the name (an exact entry is halted by name already).
      if (configuredAccount(accounts, account)?.entry === template) names.add(account);
    }
  }
  return [...names];
}

export async function haltAll(
  client: Client,
  taskQueue: string,
  accounts: AccountsConfig,
  request: HaltAllRequest,
  report: (outcome: HaltOutcome) => void,
): Promise<HaltOutcome[]> {
  const queue = await accountsToHalt(client, taskQueue, accounts);
  const outcomes: HaltOutcome[] = [];
  const worker = async () => {
    for (let account = queue.shift(); account !== undefined; account = queue.shift()) {
      let outcome: HaltOutcome;
      try {
        const { result } = await setTradingState(client, taskQueue, account, {
          state: 'HALTED',
          reason: request.reason,
          authority: { kind: 'person', via: 'operator_cli', confirmed_by: request.by },
        });
        outcome = { account, result };
      } catch (err) {
        const cause = err instanceof CallError ? err : ((err as { cause?: unknown })?.cause ?? err);
        const text = cause instanceof CallError ? `${cause.code}: ${cause.message}` : cause instanceof Error ? cause.message : String(cause);
        outcome = { account, error: text.split('\n')[0] ?? 'unknown error' };
      }
      outcomes.push(outcome);
      report(outcome);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return outcomes;
}

export function describeHalt(outcome: HaltOutcome, by: string, reason: string): string {
  if ('error' in outcome) return `${outcome.account}: NOT HALTED: ${outcome.error}`;
  const { result } = outcome;
  return result.changed
    ? `${outcome.account}: ${result.previous_state} → ${result.trading_state} (by ${by}: ${reason})`
    : `${outcome.account}: ${result.previous_state} → ${result.trading_state} (was already halted)`;
}
