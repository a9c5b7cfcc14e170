/**
 * `npm start`: the whole product on embedded defaults. Temporal (an embedded dev server with its
 * state in .data/, or TEMPORAL_ADDRESS), the worker, the broker selecting the pairs, and the
 * ensemble agent trading paper on every nudge, with a live view. Ctrl-C stops everything cleanly;
 * the next start continues from the saved state.
 *
 *   npm start                                  live view until Ctrl-C
 *   npm start -- --duration <sec> [--json]     headless for that long, then a summary; exit 0
 *   npm start -- --pairs BTC/USDT,ETH/USDT --exchange sim
 *   npm start -- --no-agent                    only Temporal and the worker, for an MCP host
 */
import { parseArgs } from 'node:util';
import { formatSummary, runSummary } from './stack/run-summary.js';
import { ensureTemporal } from './stack/temporal.js';
import { recordEvent, renderScreen, type ViewState } from './stack/trading-view.js';
import { startTradingSession, type TradingSession } from './stack/trading-session.js';
import { startWorkerProcess } from './stack/worker-process.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string' },
    json: { type: 'boolean', default: false },
    'no-agent': { type: 'boolean', default: false },
    pairs: { type: 'string', default: 'BTC/USDT,ETH/USDT' },
    exchange: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

function usageError(message: string): never {
  console.error(`${message}\nusage: npm start [-- --duration <sec> [--json]] [--pairs A/B,C/D] [--exchange <ccxt id>] [--no-agent] [--verbose]`);
  process.exit(2);
}

const duration = values.duration === undefined ? undefined : Number(values.duration);
if (duration !== undefined && (!Number.isFinite(duration) || duration <= 0)) usageError(`--duration ${values.duration} is not a positive number of seconds`);
const pairs = (values.pairs as string).split(',').map((p) => p.trim()).filter(Boolean);
if (pairs.length === 0) usageError('--pairs needs at least one symbol, e.g. BTC/USDT');
const headless = duration !== undefined || !process.stdout.isTTY;
const withAgent = !values['no-agent'];

// With --json the last line must be the JSON object: everything else goes to stderr.
const say = (line: string) => (values.json ? console.error(line) : console.log(line));
const detail = (line: string) => {
  if (values.verbose) console.error(line);
};

const temporal = await ensureTemporal(detail).catch((err: unknown) => {
  console.error(`Temporal could not be started: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
say(`Temporal: ${temporal.env.address} (${temporal.embedded ? 'embedded dev server, state in .data/temporal.db' : 'existing server'})`);
if (temporal.uiUrl) say(`Temporal UI: ${temporal.uiUrl}`);

const stackEnv = { ...(process.env as Record<string, string>), TEMPORAL_ADDRESS: temporal.env.address };
const worker = await startWorkerProcess(stackEnv, detail).catch(async (err: unknown) => {
  console.error(`The worker could not start: ${err instanceof Error ? err.message : String(err)}`);
  await temporal.stop();
  process.exit(1);
});
say(`Worker ready on task queue ${temporal.env.taskQueue}.`);

const view: ViewState = { events: [], rejectedIntents: 0 };
let session: TradingSession | undefined;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('Stopping: agents first, then the worker (in-flight activities finish), then Temporal saves its state.');
    const summary = await runSummary(session?.host, temporal.env, view.rejectedIntents).catch(() => undefined);
    await session?.stop().catch(() => undefined);
    await worker.stop();
    await temporal.stop();
    if (summary && withAgent) {
      say(formatSummary(summary));
      if (values.json) console.log(JSON.stringify(summary));
    }
    say('Stopped.');
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
void worker.exited.then(({ code, signal }) => {
  if (!stopping) {
    console.error(`The worker exited unexpectedly (${signal ?? `code ${code}`}).`);
    void stop(1);
  }
});

if (withAgent) {
  session = await startTradingSession({
    env: { TEMPORAL_ADDRESS: temporal.env.address },
    pairs,
    ...(values.exchange ? { exchange: values.exchange } : {}),
    log: say,
    onEvent: (event) => {
      recordEvent(view, event);
      if (headless) say(`${event.kind.padEnd(8)} ${event.text}`);
    },
  }).catch((err: unknown) => {
    console.error(`The agents could not start: ${err instanceof Error ? err.message : String(err)}`);
    return stop(1);
  });
} else {
  say('No agent: MCP hosts can connect now; `npm run mcp:config -- --host claude|vscode|cursor` prints their configuration.');
}

if (duration !== undefined) {
  setTimeout(() => void stop(0), duration * 1000);
} else if (!headless && session) {
  const live = session;
  const redraw = async () => {
    if (stopping) return;
    const screen = await renderScreen(live.host, view, live.pairs, live.exchange, temporal.uiUrl).catch(() => undefined);
    if (screen && !stopping) process.stdout.write(`\x1b[2J\x1b[H${screen}\n`);
    setTimeout(() => void redraw(), 2_000);
  };
  void redraw();
} else {
  say('Press Ctrl-C to stop.');
}
