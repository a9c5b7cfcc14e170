/**
 * The soak tier: the whole stack (real worker process, the five servers from mcp.json, the broker,
 * the ensemble trading on every nudge, a local chain) with every continue-as-new threshold at its
 * smallest, run until every long-lived workflow type has handed over at least three times on one
 * chain. After every round of hand-overs the driver calls every tool of every server and checks
 * each answer (scripts/soak/checks/); the ensemble's calls may meet documented refusals only; the
 * processes stay within scripts/soak/memory-bounds.ts; then every history of the run replays.
 */
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { censusLines, latencyLines, rssLine } from '../../scripts/soak/report-lines.js';
import { replayRecentHistories } from '../../worker/replay/replay-histories.js';
import { boundBreaches } from '../../scripts/soak/bounds-check.js';
import { shortOfHandOvers, takeCensus, totalHandOvers, type Census } from '../../scripts/soak/census.js';
import { LatencyBook } from '../../scripts/soak/latency.js';
import { isDocumentedRefusal } from '../../scripts/soak/refusals.js';
import { sampleRss, serverPids } from '../../scripts/soak/rss.js';
import { startSoakStack, type SoakStack } from '../../scripts/soak/soak-stack.js';
import { TINY_THRESHOLDS } from '../../scripts/soak/thresholds.js';
import { ToolRounds, type RoundFailure } from '../../scripts/soak/tool-round.js';
import { uniqueTaskQueue } from '../helpers/test-worker.js';

const HAND_OVERS = 3;
/** Rounds at most: each round hands most types over at least once, so this leaves ample room. */
const MAX_ROUNDS = 12;
const SYMBOLS = ['SIM60/USDT', 'SIM61/USDT'];
const EXTRA = 'SIM62/USDT';
const taskQueue = uniqueTaskQueue('soak');

let stack: SoakStack;
const latencies = new LatencyBook();
const failures: RoundFailure[] = [];
let census: Census;
let rounds = 0;

beforeAll(async () => {
  stack = await startSoakStack({
    temporalAddress: inject('temporalAddress'),
    taskQueue,
    exchange: 'sim',
    symbols: SYMBOLS,
    extraSymbol: EXTRA,
    nudgeIntervalSec: 2,
    workerEnv: {
      ...TINY_THRESHOLDS,
      RISK_ALLOWED_SYMBOLS: [...SYMBOLS, EXTRA].join(','),
      // The driver and the ensemble place several orders a round: the throttle is not under test here.
      RISK_MAX_ORDERS_PER_WINDOW: '10000',
      // The ensemble sizes every nudge's trade alike; two seconds apart they are not duplicates of one another.
      RISK_DUPLICATE_WINDOW_SEC: '1',
    },
    log: () => undefined,
  });
}, 300_000);

let stopped = false;
async function stopStack(): Promise<void> {
  if (stopped || !stack) return;
  stopped = true;
  await stack.stop();
}

afterAll(stopStack, 120_000);

describe('the soak tier: every tool after every hand-over', () => {
  it(`every long-lived workflow type hands over ${HAND_OVERS}+ times while every tool keeps answering right`, { timeout: 420_000 }, async () => {
    const driver = new ToolRounds(stack.host, stack.names, latencies);
    let before = -1;
    let short: string[] = [];
    // Rounds until every type has handed over often enough, then one more: every tool is called after the last hand-over too.
    for (let lastRound = false; !lastRound; ) {
      lastRound = (short.length === 0 && driver.rounds >= HAND_OVERS) || driver.rounds >= MAX_ROUNDS;
      failures.push(...(await driver.run()));
      census = await takeCensus(stack.client, taskQueue);
      short = shortOfHandOvers(census, HAND_OVERS);
      // Each round follows hand-overs: its own calls made the next run of most chains.
      expect(totalHandOvers(census)).toBeGreaterThan(before);
      before = totalHandOvers(census);
    }
    rounds = driver.rounds;
    console.log([`soak: ${rounds} rounds`, ...censusLines(census), ...latencyLines(latencies.total())].join('\n'));
    expect(short, `types short of ${HAND_OVERS} hand-overs after ${rounds} rounds`).toEqual([]);
    expect(failures).toEqual([]);
  });

  it('the ensemble traded, meeting no error but documented refusals', () => {
    const trades = stack.ensembleEvents.filter((e) => e.kind === 'trade');
    const errors = stack.ensembleEvents.filter((e) => e.kind === 'error' && !isDocumentedRefusal(e.text.replace(/^.*? failed: /, '')));
    const rejections = stack.ensembleEvents.filter((e) => e.kind === 'rejected').map((e) => e.text.replace(/^.*rejected by risk: /, '').replace(/:.*$/, ''));
    console.log(`ensemble: ${trades.length} trades, ${rejections.length} rejections by risk (${[...new Set(rejections)].join(', ')})`);
    expect(trades.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.text)).toEqual([]);
    // Each nudge reached the ensemble once.
    const prompts = stack.ensembleEvents.filter((e) => e.kind === 'prompt').map((e) => e.message_id);
    expect(prompts.length).toBeGreaterThan(HAND_OVERS);
    expect(prompts.filter((id, i) => prompts.indexOf(id) !== i)).toEqual([]);
  });

  it('the worker and every server stay within their memory bounds, every history within its bound', () => {
    const servers = serverPids();
    expect(Object.keys(servers).sort()).toEqual(['agents', 'execution', 'ledger', 'market', 'risk']);
    const rss = sampleRss(stack.worker.pid, servers);
    console.log(rssLine(rss));
    expect(boundBreaches(rss, census)).toEqual([]);
    expect(rounds).toBeGreaterThanOrEqual(HAND_OVERS);
  });

  it('every history of the run replays without a determinism error', async () => {
    // The stack stops first: nothing new starts while the histories are read, and the replay has the machine.
    await stopStack();
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const report = await replayRecentHistories(new Client({ connection }), { bundlePath: inject('workflowBundlePath'), query: `TaskQueue = "${taskQueue}"`, limit: 20_000, digestFailures: true });
      expect(report.failures).toEqual([]);
      expect(report.replayed).toBeGreaterThan(100);
    } finally {
      await connection.close();
    }
  }, 600_000);
});
