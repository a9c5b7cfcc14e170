/**
 * The stack a chaos run stands on, all of it its own: a restartable Temporal dev server with its
 * SQLite file in a temp folder, one supervised worker process, and the execution, ledger and risk
 * servers from mcp.json behind the MCP SDK's Client. The risk gate reads quotes seeded into tick
 * stores of the run's own exchange id; orders fill against the embedded sim venue's books.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { TickStoreSettings } from '../../schemas/temporal/market.js';
import { deliverBatch } from '../../temporal/clients/tick-store.js';
import { SimVenue } from '../../worker/activities/market/venues/sim/sim-venue.js';
import { connectChaosServer, type ChaosServer } from './mcp-server.js';
import { CHAOS_SYMBOLS } from './order-plan.js';
import { startRestartableTemporal, type RestartableTemporal } from './temporal-process.js';
import { superviseWorker, type WorkerSupervisor } from './worker-supervisor.js';
import { wideRiskEnv } from '../stack/wide-risk-env.js';

export const CHAOS_INITIAL_CASH = '10000000';

const STORE_SETTINGS: TickStoreSettings = { retentionCount: 500, retentionMs: 86_400_000, maxGaps: 10, continueEvery: 1_000, historyLimit: 9_000 };
const SEEDED_TICKS = 16;

export interface ChaosStackOptions {
  /** The accounts file the worker serves (every account the run uses must be in it). */
  accountsFile: string;
  log: (line: string) => void;
}

export interface ChaosStack {
  temporal: RestartableTemporal;
  taskQueue: string;
  worker: WorkerSupervisor;
  execution: ChaosServer;
  ledger: ChaosServer;
  risk: ChaosServer;
  /** A Temporal client beside the servers, for reading workflows directly. */
  client: Client;
  stop(): Promise<void>;
}

/** Wide limits (scripts/stack/wide-risk-env.ts), with quotes seeded once: a long run must not see them go stale. */
function riskEnv(exchange: string): Record<string, string> {
  return { ...wideRiskEnv(exchange, CHAOS_SYMBOLS), RISK_MAX_DATA_AGE_MS: '86400000', RISK_MAX_ORDERS_PER_WINDOW: '100000' };
}

/** Quotes for the gate, from the same sim price process the books come from. */
async function seedQuotes(client: Client, taskQueue: string, exchange: string): Promise<void> {
  const sim = new SimVenue(42);
  const now = Date.now();
  await Promise.all(
    CHAOS_SYMBOLS.map((symbol) =>
      deliverBatch(client, taskQueue, { exchange, symbol, simulated: true }, STORE_SETTINGS, {
        stream_id: 'chaos',
        received_at: now,
        ticks: Array.from({ length: SEEDED_TICKS }, (_, i) => {
          const ts = now - (SEEDED_TICKS - 1 - i) * 1000;
          const t = sim.tickAt(symbol, ts);
          return { ts, bid: t.bid, ask: t.ask, last: t.last };
        }),
      }),
    ),
  );
}

export async function startChaosStack(opts: ChaosStackOptions): Promise<ChaosStack> {
  const dir = mkdtempSync(join(tmpdir(), 'dca-chaos-'));
  const temporal = await startRestartableTemporal(dir, opts.log);
  const taskQueue = `chaos-${crypto.randomUUID().slice(0, 8)}`;
  const exchange = `chaos_${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const serverEnv = { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: taskQueue };
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  // A run ended by a signal or a crash leaves no database behind (its Temporal is killed first, on the same exit).
  process.on('exit', removeDir);
  const started: Array<() => Promise<unknown>> = [() => temporal.stop(), async () => (removeDir(), process.off('exit', removeDir))];
  const stop = async (): Promise<void> => {
    for (const close of started) await close().catch((err: unknown) => opts.log(`chaos stop: ${String(err)}`));
  };
  try {
    const worker = await superviseWorker(
      {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...serverEnv,
        ACCOUNTS_FILE: opts.accountsFile,
        INITIAL_CASH: CHAOS_INITIAL_CASH,
        // Room for every fill of the busiest account in one journal page.
        LEDGER_JOURNAL_LIMIT: '2000',
        LEDGER_DEDUPE_WINDOW: '10000',
        PAPER_RESTING_POLL_SEC: '1',
        ...riskEnv(exchange),
      },
      opts.log,
    );
    started.unshift(() => worker.stop());
    const connection = await Connection.connect({ address: temporal.address });
    started.unshift(() => connection.close());
    const client = new Client({ connection });
    await seedQuotes(client, taskQueue, exchange);
    const [execution, ledger, risk] = await Promise.all([
      connectChaosServer('execution', serverEnv),
      connectChaosServer('ledger', serverEnv),
      connectChaosServer('risk', serverEnv),
    ]);
    started.unshift(() => execution.close(), () => ledger.close(), () => risk.close());
    return { temporal, taskQueue, worker, execution, ledger, risk, client, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
