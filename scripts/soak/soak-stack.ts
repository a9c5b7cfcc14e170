/**
 * The whole stack as `npm start` runs it, for a soak: the real worker process, the five servers
 * from mcp.json behind one McpHost, the broker selecting the pairs, the ensemble agent trading on
 * every nudge through submit_intent, and a local chain (anvil) with a funded key of the run's own
 * so transactions and the nonce allocator are exercised too.
 */
import { Client, Connection } from '@temporalio/client';
import { parseEther, type Address } from 'viem';
import { join } from 'node:path';
import { McpHost } from '../../agents/host/mcp-host.js';
import { selectPairsWithBroker } from '../../agents/broker/select.js';
import { runEnsembleAgent, type EnsembleEvent } from '../../agents/ensemble/ensemble-agent.js';
import { DEFAULT_STRATEGY_PARAMS } from '../../agents/strategy/ensemble-strategy.js';
import { nudgeScheduleId } from '../../schemas/temporal/ensemble.js';
import { startAnvil, type Anvil, type DevAccount } from '../chain/anvil.js';
import { repoRoot } from '../stack/paths.js';
import { spawnWorkerProcess, type WorkerProcess } from '../stack/worker-process.js';
import type { SoakNames } from './soak-context.js';

/** The soak's accounts file: paper and every t- account. */
export const SOAK_ACCOUNTS_FILE = join(repoRoot, 'scripts', 'soak', 'soak-accounts.json');

/** Trade on every nudge: the soak is about load and hand-overs, not the strategy's edge. */
const TRADE_EVERY_NUDGE = { ...DEFAULT_STRATEGY_PARAMS, momentumThreshold: 0, reversionZ: 100, momentumWeight: 1, maxPositionFraction: 0.01, minTradeNotional: 5 };

export interface SoakStackOptions {
  temporalAddress: string;
  taskQueue: string;
  exchange: string;
  /** The pairs the broker selects and the ensemble trades. */
  symbols: string[];
  /** A further pair the driver streams and stops each round. */
  extraSymbol: string;
  nudgeIntervalSec: number;
  /** Further worker variables (the tiny thresholds, widened limits). */
  workerEnv?: Record<string, string>;
  log(line: string): void;
}

export interface SoakStack {
  names: SoakNames;
  host: McpHost;
  worker: WorkerProcess;
  client: Client;
  /** Everything the ensemble reported, in order. */
  ensembleEvents: EnsembleEvent[];
  stop(): Promise<void>;
}

function tag(): string {
  return crypto.randomUUID().slice(0, 8);
}

export async function startSoakStack(opts: SoakStackOptions): Promise<SoakStack> {
  const runTag = tag();
  const anvil: Anvil = await startAnvil();
  const cleanups: Array<() => Promise<unknown>> = [() => anvil.stop()];
  const cleanup = async () => {
    for (const undo of cleanups.reverse()) await undo().catch(() => undefined);
  };
  try {
    const signer = await anvil.fundedKey(parseEther('5'));
    const recipient = (anvil.accounts[1] as DevAccount).address as Address;
    const names: SoakNames = {
      exchange: opts.exchange,
      symbols: opts.symbols,
      extraSymbol: opts.extraSymbol,
      agent: `soak-ensemble-${runTag}`,
      nudgeIntervalSec: opts.nudgeIntervalSec,
      ensembleAccount: `t-soak-ensemble-${runTag}`,
      account: `t-soak-driver-${runTag}`,
      tightenedAccount: `t-soak-tightened-${runTag}`,
      talker: `soak-talker-${runTag}`,
      listener: `soak-listener-${runTag}`,
      churner: `soak-churner-${runTag}`,
      chainId: anvil.chainId,
      recipient,
      runTag,
    };
    const worker = spawnWorkerProcess(
      {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ACCOUNTS_FILE: SOAK_ACCOUNTS_FILE,
        TEMPORAL_ADDRESS: opts.temporalAddress,
        TEMPORAL_TASK_QUEUE: opts.taskQueue,
        NUDGE_INTERVAL_SEC: String(opts.nudgeIntervalSec),
        SIM_BACKFILL_SEC: '600',
        EVM_CHAINS: JSON.stringify({ [anvil.chainId]: { rpc_url: anvil.rpcUrl, name: 'anvil' } }),
        EVM_PRIVATE_KEY: signer.privateKey,
        EVM_ALLOWED_RECIPIENTS: recipient,
        EVM_MAX_VALUE_WEI: parseEther('0.01').toString(),
        EVM_MAX_DAILY_VALUE_WEI: parseEther('1').toString(),
        ...opts.workerEnv,
      },
      { readyTimeoutMs: 180_000, log: (line) => opts.log(line) },
    );
    cleanups.push(() => worker.stop());
    await worker.ready;

    const connection = await Connection.connect({ address: opts.temporalAddress });
    cleanups.push(() => connection.close());
    const client = new Client({ connection });
    const host = await McpHost.launch({ name: 'soak', env: { TEMPORAL_ADDRESS: opts.temporalAddress, TEMPORAL_TASK_QUEUE: opts.taskQueue } });
    cleanups.push(() => host.close());
    cleanups.push(() => client.schedule.getHandle(nudgeScheduleId(names.agent)).delete());

    const selected = await selectPairsWithBroker(host, { agent: names.agent, symbols: opts.symbols, exchange: opts.exchange });
    opts.log(selected.summary);
    cleanups.push(() => host.call('stop_market_stream', { symbols: opts.symbols, exchange: opts.exchange }));

    const ensembleEvents: EnsembleEvent[] = [];
    const stopAgent = new AbortController();
    const loop = runEnsembleAgent({
      host,
      agent: names.agent,
      account: names.ensembleAccount,
      params: TRADE_EVERY_NUDGE,
      lookbackTicks: 90,
      waitSec: 3,
      signal: stopAgent.signal,
      onEvent: (e) => ensembleEvents.push(e),
    });
    cleanups.push(async () => {
      stopAgent.abort();
      await loop;
    });
    return { names, host, worker, client, ensembleEvents, stop: cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
