/**
 * One red-team file's stack: a real worker on a task queue of its own, the risk gate reading live
 * quotes from tick stores of an exchange id of its own, and the risk, execution and ledger servers
 * spawned from mcp.json exactly as a host launches them, plus a second risk server behind a host
 * that declares elicitation and answers the forms itself. Nothing the red team attacks is mocked.
 */
import { inject } from 'vitest';
import { connectElicitingServer, type ElicitingServer } from '../../helpers/elicitation-host.js';
import { connectServer, type ConnectedServer } from '../../helpers/mcp-servers.js';
import { RiskDriver, uniqueExchange } from '../../helpers/risk-driver.js';
import { testClient } from '../../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../../helpers/test-worker.js';
import { LiveQuotes } from './live-quotes.js';

export const REDTEAM_SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];

/** Seconds of quote history seeded before the first check: more 1 s returns than VaR asks for. */
const HISTORY_SEC = 180;

/**
 * The worker's environment: the product's default limits from risk-limits.json, except what a
 * file overrides (small limits, short windows) and what a test stack needs (its own quotes, 1 s
 * VaR returns so three minutes of history suffice, resting orders polled every second).
 */
export function redteamEnv(exchange: string, overrides: Record<string, string>): Record<string, string> {
  return {
    RISK_MARKET_EXCHANGE: exchange,
    RISK_ALLOWED_SYMBOLS: REDTEAM_SYMBOLS.join(','),
    RISK_MAX_DATA_AGE_MS: '30000',
    RISK_VAR_RETURN_INTERVAL_SEC: '1',
    RISK_VAR_MIN_OBSERVATIONS: '10',
    RISK_VAR_WINDOW_RETURNS: '600',
    PAPER_RESTING_POLL_SEC: '1',
    ...overrides,
  };
}

export interface RedteamStack {
  taskQueue: string;
  exchange: string;
  env: Record<string, string>;
  temporal: Awaited<ReturnType<typeof testClient>>;
  driver: RiskDriver;
  quotes: LiveQuotes;
  risk: ConnectedServer;
  /** The risk server behind a host that declares elicitation and fills in the forms as it likes. */
  elicitingRisk: ElicitingServer;
  execution: ConnectedServer;
  ledger: ConnectedServer;
  close(): Promise<void>;
}

export async function startRedteamStack(name: string, overrides: Record<string, string> = {}): Promise<RedteamStack> {
  const taskQueue = uniqueTaskQueue(`redteam-${name}`);
  const exchange = uniqueExchange();
  const env = redteamEnv(exchange, overrides);
  const worker: RunningWorker = await startTestWorker(taskQueue, env);
  const temporal = await testClient();
  const driver = new RiskDriver(temporal.client, taskQueue, exchange, env);
  const quotes = new LiveQuotes(driver, REDTEAM_SYMBOLS);
  await quotes.start(HISTORY_SEC);
  const serverEnv = { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue };
  const [risk, elicitingRisk, execution, ledger] = await Promise.all([
    connectServer('risk', serverEnv),
    connectElicitingServer('risk', serverEnv),
    connectServer('execution', serverEnv),
    connectServer('ledger', serverEnv),
  ]);
  return {
    taskQueue,
    exchange,
    env,
    temporal,
    driver,
    quotes,
    risk,
    elicitingRisk,
    execution,
    ledger,
    async close() {
      await Promise.all([risk, elicitingRisk, execution, ledger].map((s) => s.close()));
      await quotes.stop();
      await worker.stop();
      await temporal.close();
    },
  };
}
