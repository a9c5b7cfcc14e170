/**
 * `npm run soak [-- --minutes N] [-- --round-sec S]`: the whole stack at its real thresholds on an
 * in-memory Temporal dev server of its own, the ensemble trading on every nudge, and a driver
 * calling every tool every S seconds (default 30) with each answer checked. Prints per minute the
 * tool latencies (p50/p99), the worker's and each server's RSS, the largest history per
 * long-lived workflow type and the hand-overs so far; at the end runs the broker again on the
 * stack that has been up all along; ends with one PASS or FAIL line. Any tool
 * error that is not a documented refusal fails it, and so does a process or history above
 * scripts/soak/memory-bounds.ts at the end.
 */
import { parseArgs } from 'node:util';
import { startDevServer } from './temporal/dev-server.js';
import { freePort } from './temporal/free-port.js';
import { boundBreaches } from './soak/bounds-check.js';
import { takeCensus } from './soak/census.js';
import { LatencyBook } from './soak/latency.js';
import { HISTORY_LENGTH_BOUND, SERVER_RSS_BOUND_MIB, WORKER_RSS_BOUND_MIB } from './soak/memory-bounds.js';
import { isDocumentedRefusal } from './soak/refusals.js';
import { censusLines, latencyLines, rssLine } from './soak/report-lines.js';
import { sampleRss, serverPids } from './soak/rss.js';
import { startSoakStack } from './soak/soak-stack.js';
import { selectPairsWithBroker } from '../agents/broker/select.js';
import { ToolRounds, type RoundFailure } from './soak/tool-round.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '60' }, 'round-sec': { type: 'string', default: '30' }, verbose: { type: 'boolean', default: false } } });
const minutes = Number(values.minutes);
const roundSec = Number(values['round-sec']);
if (!Number.isFinite(minutes) || minutes <= 0 || !Number.isFinite(roundSec) || roundSec <= 0) {
  console.error('usage: npm run soak -- [--minutes N (default 60)] [--round-sec S (default 30)] [--verbose]');
  process.exit(2);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const server = await startDevServer({ port: await freePort(), headless: true });
const taskQueue = `soak-${crypto.randomUUID().slice(0, 8)}`;
console.log(`soak: ${minutes} min on ${server.address}, task queue ${taskQueue}, a tool round every ${roundSec} s`);
console.log(`bounds: worker RSS <= ${WORKER_RSS_BOUND_MIB} MiB, each server <= ${SERVER_RSS_BOUND_MIB} MiB, any run's history <= ${HISTORY_LENGTH_BOUND} events`);

const failures: RoundFailure[] = [];
const ensembleErrors: string[] = [];
let verdict = 'FAIL: the stack did not start';
const EXCHANGE = 'sim';
const SYMBOLS = ['BTC/USDT', 'ETH/USDT'];
try {
  const stack = await startSoakStack({
    temporalAddress: server.address,
    taskQueue,
    exchange: EXCHANGE,
    symbols: SYMBOLS,
    extraSymbol: 'SOL/USDT',
    nudgeIntervalSec: 30,
    log: (line) => {
      if (values.verbose) console.error(line);
    },
  });
  try {
    const latencies = new LatencyBook();
    const driver = new ToolRounds(stack.host, stack.names, latencies);
    const servers = serverPids();
    const started = Date.now();
    const endAt = started + minutes * 60_000;
    let nextMinute = started + 60_000;
    let seenEvents = 0;
    const promptsSeen = new Set<string>();
    let lastCensus = await takeCensus(stack.client, taskQueue);
    const printMinute = async () => {
      lastCensus = await takeCensus(stack.client, taskQueue);
      const minute = Math.round((Date.now() - started) / 60_000);
      const trades = stack.ensembleEvents.filter((e) => e.kind === 'trade').length;
      const rejections = stack.ensembleEvents.filter((e) => e.kind === 'rejected').map((e) => e.text.replace(/^.*rejected by risk: /, '').replace(/:.*$/, ''));
      const codes = [...new Set(rejections)].join(', ');
      console.log(`\n[minute ${minute}] rounds ${driver.rounds}, tool failures ${failures.length}, ensemble trades ${trades}, risk rejections ${rejections.length}${codes ? ` (${codes})` : ''}, ensemble errors ${ensembleErrors.length}`);
      for (const line of latencyLines(latencies.takeWindow())) console.log(line);
      console.log(rssLine(sampleRss(stack.worker.pid, servers)));
      for (const line of censusLines(lastCensus)) console.log(line);
    };
    while (Date.now() < endAt) {
      const roundStarted = Date.now();
      const found = await driver.run();
      for (const f of found) console.log(`  round ${f.round} ${f.tool}: ${f.error}`);
      failures.push(...found);
      for (const e of stack.ensembleEvents.slice(seenEvents)) {
        // Each prompt reaches the ensemble once.
        if (e.kind === 'prompt' && e.message_id !== undefined) {
          if (promptsSeen.has(e.message_id)) ensembleErrors.push(`prompt ${e.message_id} delivered twice`);
          promptsSeen.add(e.message_id);
        }
        if (e.kind === 'error' && !isDocumentedRefusal(e.text.replace(/^.*? failed: /, ''))) {
          ensembleErrors.push(e.text);
          console.log(`  ensemble: ${e.text}`);
        }
      }
      seenEvents = stack.ensembleEvents.length;
      while (Date.now() >= nextMinute) {
        await printMinute();
        nextMinute += 60_000;
      }
      await sleep(Math.max(0, Math.min(endAt, roundStarted + roundSec * 1000) - Date.now()));
    }
    await printMinute();
    // The broker run again on a stack that has been up all along: the streams, schedule and agent
    // it attaches to have handed over many times by now.
    const rerun = await selectPairsWithBroker(stack.host, { agent: stack.names.agent, symbols: SYMBOLS, exchange: EXCHANGE }).then(
      (selected) => ({ ok: selected.symbols.length === SYMBOLS.length && !selected.scheduleCreated, text: selected.summary }),
      (err: unknown) => ({ ok: false, text: err instanceof Error ? err.message : String(err) }),
    );
    console.log(`\nbroker again after ${minutes} min: ${rerun.ok ? 'ok' : 'FAILED'}: ${rerun.text}`);
    console.log('\n[whole run]');
    for (const line of latencyLines(latencies.total())) console.log(line);
    const breaches = boundBreaches(sampleRss(stack.worker.pid, servers), lastCensus);
    const problems = [
      ...(failures.length ? [`${failures.length} tool check(s) failed`] : []),
      ...(ensembleErrors.length ? [`${ensembleErrors.length} ensemble error(s) that are not documented refusals, or prompts delivered twice`] : []),
      ...(rerun.ok ? [] : [`the broker run again after ${minutes} min failed: ${rerun.text}`]),
      ...breaches,
    ];
    verdict = problems.length === 0 ? `PASS: ${driver.rounds} rounds of every tool over ${minutes} min, no failure, within every bound` : `FAIL: ${problems.join('; ')}`;
  } finally {
    await stack.stop();
  }
} catch (err) {
  verdict = `FAIL: ${err instanceof Error ? err.message : String(err)}`;
} finally {
  await server.stop();
}
console.log(verdict);
process.exit(verdict.startsWith('PASS') ? 0 : 1);
