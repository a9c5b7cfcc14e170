/**
 * `npm run risk:operator -- <command>`: what only a person may do to the risk gate, talking to the
 * account's risk workflow through the risk client (temporal/clients/risk.ts) over a Temporal
 * connection of its own (TEMPORAL_ADDRESS and friends, as every process of the stack). Each change
 * is recorded in the workflow with who made it and why.
 *
 *   status                                         trading state, limits source, breaker, working orders
 *   set-state <ACTIVE|REDUCING|HALTED> --reason …  any direction, including loosening
 *   reload-limits --reason …                       load the worker's limits file and RISK_* variables again
 *   reset-breaker --reason …                       rebase the day's open and the high-water mark to current equity
 *
 * Options: --account <name> (default paper), --by <name> (default: the OS user running this).
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { isShortName } from '../schemas/primitives/short-name.js';
import { DEFAULT_ACCOUNT } from '../schemas/temporal/ledger.js';
import { TRADING_STATES, riskWorkflowId, type RiskStateView, type TradingState } from '../schemas/temporal/risk.js';
import { queryRiskState, reloadLimits, resetBreaker, setTradingState } from '../temporal/clients/risk.js';
import { connectionOptions, temporalEnv } from '../temporal/temporal-env.js';

const USAGE = `usage: npm run risk:operator -- <command> [options]
  status
  set-state <${TRADING_STATES.join('|')}> --reason "<why>"
  reload-limits --reason "<why>"
  reset-breaker --reason "<why>"
options: --account <name> (default ${DEFAULT_ACCOUNT}), --by <name> (default: your OS user name)`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { account: { type: 'string', default: DEFAULT_ACCOUNT }, reason: { type: 'string' }, by: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
const [command, argument] = positionals;
if (values.help || !command) fail(USAGE, values.help ? 0 : 2);
const account = values.account as string;
if (!isShortName(account)) fail(`--account ${account} is not an account name (lowercase letters, digits, "-" or "_")`);
const by = (values.by ?? userInfo().username).trim();
const reason = values.reason?.trim() ?? '';
const needsReason = () => {
  if (reason.length < 3) fail(`${command} records why: add --reason "<why>" (at least 3 characters)`);
  if (!by) fail('add --by "<your name>": every change records who made it');
};

function print(view: RiskStateView): void {
  const last = view.last_change;
  console.log(`account ${view.account} (${view.mode}), ${view.workflow_id} run ${view.run_id}`);
  console.log(`trading state: ${view.trading_state}${last ? ` since ${new Date(last.at).toISOString()} (${last.reason}; ${JSON.stringify(last.authority)})` : ''}`);
  console.log(`limits: loaded ${new Date(view.limits_loaded_at).toISOString()} from ${view.limits_source.file ?? 'built-in defaults'}${view.limits_source.env_overrides.length ? ` with ${view.limits_source.env_overrides.join(', ')}` : ''}`);
  console.log(`breaker: day open ${view.breaker.day_open_equity ?? '-'}, high-water mark ${view.breaker.peak_equity ?? '-'}${view.breaker.tripped ? `, TRIPPED ${view.breaker.tripped.code}: ${view.breaker.tripped.message}` : ''}`);
  console.log(`decisions: ${view.counters.approved} approved, ${view.counters.rejected} rejected; working orders: ${view.reservations.length}`);
}

const env = temporalEnv();
const connection = await Connection.connect({ ...connectionOptions(env), connectTimeout: '5 seconds' }).catch((err: unknown) =>
  fail(`Temporal is not reachable at ${env.address} (${err instanceof Error ? err.message : String(err)}); start the stack or set TEMPORAL_ADDRESS`, 1),
);
try {
  const client = new Client({ connection, namespace: env.namespace });
  switch (command) {
    case 'status': {
      const view = await queryRiskState(client, account);
      if (!view) fail(`${riskWorkflowId(account)} has not loaded yet; is a worker running on task queue ${env.taskQueue}?`, 1);
      print(view);
      break;
    }
    case 'set-state': {
      if (!TRADING_STATES.includes(argument as TradingState)) fail(`set-state needs one of ${TRADING_STATES.join(', ')}\n${USAGE}`);
      needsReason();
      const { result } = await setTradingState(client, env.taskQueue, account, {
        state: argument as TradingState,
        reason,
        authority: { kind: 'person', via: 'operator_cli', confirmed_by: by },
      });
      console.log(result.changed ? `${account}: ${result.previous_state} → ${result.trading_state} (by ${by}: ${reason})` : `${account} was already ${result.trading_state}; nothing changed`);
      break;
    }
    case 'reload-limits': {
      needsReason();
      print(await reloadLimits(client, env.taskQueue, account, { reason, requested_by: by }));
      break;
    }
    case 'reset-breaker': {
      needsReason();
      print(await resetBreaker(client, env.taskQueue, account, { reason, requested_by: by }));
      console.log('the next check rebases the day open and the high-water mark to the equity then');
      break;
    }
    default:
      fail(`unknown command ${command}\n${USAGE}`);
  }
} catch (err) {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  fail(`${command} failed: ${cause instanceof Error ? cause.message : String(cause)}`, 1);
} finally {
  await connection.close();
}
