/**
 * `npm run risk:operator -- <command>`: what only a person may do to the risk gate, talking to the
 * account's risk workflow through the risk client (temporal/clients/risk.ts) over a Temporal
 * connection of its own (TEMPORAL_ADDRESS and friends, as every process of the stack). Each change
 * is recorded in the workflow with who made it and why.
 *
 *   status                                         trading state, limits source, breaker, working orders
 *   set-state <ACTIVE|REDUCING|HALTED> --reason …  any direction, including loosening
 *   reload-limits --reason …                       load the worker's limits file and RISK_* variables again
 *   reset-breaker --reason …                       acknowledge the breaker's trip at the equity then (the day's loss stays)
 *   loosen-code <ACTIVE|REDUCING> --reason …       a one-time code a person enters at an MCP host to loosen (once, for RISK_LOOSENING_CODE_TTL_SEC, default 10 min)
 *   halt-all --reason …                            HALTED for every account of the accounts file (scripts/operator/halt-all.ts)
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
import { formatLooseningCode } from '../domain/risk/loosening-codes.js';
import { issueLooseningCode } from '../temporal/clients/risk.js';
import { describeHalt, haltAll, operatorAccounts } from './operator/halt-all.js';

const USAGE = `usage: npm run risk:operator -- <command> [options]
  status
  set-state <${TRADING_STATES.join('|')}> --reason "<why>"
  reload-limits --reason "<why>"
  reset-breaker --reason "<why>"
  loosen-code <ACTIVE|REDUCING> --reason "<why>"
  halt-all --reason "<why>"   (every configured account; ACCOUNTS_FILE as the worker's)
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
      console.log('the next check acknowledges the loss at the equity then; the day open and the high-water mark stay');
      break;
    }
    case 'loosen-code': {
      if (argument !== 'ACTIVE' && argument !== 'REDUCING') fail(`loosen-code needs ACTIVE or REDUCING (tightening needs no code)\n${USAGE}`);
      needsReason();
      const { code, issued } = await issueLooseningCode(client, env.taskQueue, account, { state: argument, reason, issued_by: by });
      const minutes = Math.round((issued.expires_at - issued.issued_at) / 60_000);
      console.log(`loosening code for account ${account} to ${argument}: ${formatLooseningCode(code)}`);
      console.log(`${issued.code_id}, valid once until ${new Date(issued.expires_at).toISOString()} (${minutes || '<1'} min), only for account ${account} and ${argument}`);
      console.log(`give it to the person at the MCP host: when set_trading_state asks to loosen account ${account} to ${argument}, they enter it with their name.`);
      console.log(`a new loosen-code ${argument} replaces it; nothing else holds the code, so issue a new one if it is lost`);
      break;
    }
    case 'halt-all': {
      needsReason();
      const outcomes = await haltAll(client, env.taskQueue, operatorAccounts(), { reason, by }, (outcome) => console.log(describeHalt(outcome, by, reason)));
      const failed = outcomes.filter((o) => 'error' in o).length;
      if (failed) fail(`halt-all: ${failed} of ${outcomes.length} account(s) could not be halted (see above); run it again once the cause is fixed`, 1);
      console.log(`halt-all: all ${outcomes.length} account(s) HALTED`);
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
