/**
 * `npm run chaos -- --orders N [--submissions S --kills K --temporal-restarts SIGTERM,SIGKILL --settle-sec T --seed X --verbose]`:
 * N paper orders, each client_order_id submitted S times, on a stack of the run's own (Temporal
 * dev server, worker, execution/ledger/risk servers) while the worker is SIGKILLed K times and
 * Temporal is restarted; then the checks (money exact, every order terminal, every closed history
 * replays, every answer within its bound and never a raw error). Prints the figures and PASS or
 * FAIL; the exit code is 1 on FAIL.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runChaosStack } from './chaos/run-chaos-stack.js';
import { chaosSummary } from './chaos/summary.js';
import { repoRoot } from './stack/paths.js';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '200' },
    submissions: { type: 'string', default: '10' },
    kills: { type: 'string' },
    'temporal-restarts': { type: 'string', default: 'SIGTERM,SIGKILL' },
    seed: { type: 'string', default: '1' },
    // Longer than the risk gate's busy queue (an order waits up to 5 minutes for a busy account's gate).
    'settle-sec': { type: 'string', default: '360' },
    verbose: { type: 'boolean', default: false },
  },
});

function positiveInteger(name: string, raw: string, min = 1): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    console.error(`--${name} ${raw} must be a whole number of at least ${min}, e.g. --${name} ${Math.max(min, 10)}`);
    process.exit(2);
  }
  return value;
}

const orders = positiveInteger('orders', values.orders as string);
const submissions = positiveInteger('submissions', values.submissions as string, 2);
// About one kill per 8 s of the order window by default (see run-chaos-stack.ts for the window).
const kills = positiveInteger('kills', values.kills ?? String(Math.max(3, Math.round((Math.max(30_000, orders * 200) / 8_000)))), 0);
const restarts = (values['temporal-restarts'] as string).split(',').filter(Boolean);
const badSignal = restarts.find((s) => s !== 'SIGTERM' && s !== 'SIGKILL');
if (badSignal) {
  console.error(`--temporal-restarts ${badSignal}: give a comma-separated list of SIGTERM and SIGKILL, e.g. SIGTERM,SIGKILL (empty for none)`);
  process.exit(2);
}

Runtime.install({ logger: new DefaultLogger('ERROR') });
// Ctrl-C or a kill ends the run through process.exit, whose handlers take the run's Temporal and worker down too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
const started = Date.now();
const log = values.verbose ? (line: string) => console.error(line) : (line: string) => (line.startsWith('chaos') ? console.error(line) : undefined);
console.log(`chaos: ${orders} orders x ${submissions} submissions, ${kills} worker kills, Temporal restarts: ${restarts.join(', ') || 'none'}`);
const { run, checks } = await runChaosStack({
  orders,
  submissions,
  workerKills: kills,
  temporalRestarts: restarts as Array<'SIGTERM' | 'SIGKILL'>,
  accountPrefix: 'chaos-',
  accountsFile: join(repoRoot, 'scripts', 'chaos', 'chaos-accounts.json'),
  seed: positiveInteger('seed', values.seed as string),
  settleTimeoutMs: positiveInteger('settle-sec', values['settle-sec'] as string) * 1000,
  log,
});
console.log(chaosSummary(run, checks));
console.log(`wall time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(checks.passed ? 0 : 1);
