/**
 * The chaos driver: places the planned orders through the execution server, each client_order_id
 * several times (two at once when it first goes, more later in the window, one after everything
 * settled), while a second loop SIGKILLs the worker at random moments and restarts Temporal with
 * its database kept. It records every call and, at the end, every order's final state as its
 * workflow recorded it.
 */
import type { Client } from '@temporalio/client';
import { orderWorkflowId, type PaperOrderState } from '../../schemas/temporal/orders.js';
import { recordedCall, type CallRecord } from './call-record.js';
import type { ChaosStack } from './chaos-stack.js';
import { planOrders, seededRandom, type PlannedOrder } from './order-plan.js';

export interface ChaosOptions {
  orders: number;
  /** Submissions per client_order_id, at least 2: two at once, the rest later, the last after settling. */
  submissions: number;
  workerKills: number;
  /** One Temporal restart per entry, with the signal that takes it down. */
  temporalRestarts: Array<'SIGTERM' | 'SIGKILL'>;
  accounts: string[];
  hotAccount: string;
  hotShare: number;
  windowMs: number;
  seed: number;
  idPrefix: string;
  /** How long the MCP client waits for one answer before it gives up (recorded as call_failed). */
  callTimeoutMs: number;
  /** How long every order gets to reach a terminal state once the chaos is over. */
  settleTimeoutMs: number;
  log: (line: string) => void;
}

export interface FinalOrder {
  order?: PaperOrderState;
  /** Why no final state could be read. */
  error?: string;
}

export interface ChaosRun {
  plan: PlannedOrder[];
  calls: CallRecord[];
  /** Submissions made after every order had settled: each must be a duplicate answering the final state. */
  lateCalls: CallRecord[];
  workerKills: number;
  /** When each worker SIGKILL was sent, ms epoch. */
  killTimes: number[];
  temporalRestarts: string[];
  unexpectedWorkerExits: string[];
  finals: Map<string, FinalOrder>;
  durationMs: number;
}

const KILL_DOWN_MS = [300, 2_500] as const;
const TEMPORAL_DOWN_MS = 3_000;
const LATE_CONCURRENCY = 50;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

interface ChaosEvent {
  atMs: number;
  run(): Promise<string>;
}

function chaosEvents(stack: ChaosStack, opts: ChaosOptions, random: () => number, killTimes: number[]): ChaosEvent[] {
  const events: ChaosEvent[] = [];
  for (let i = 0; i < opts.workerKills; i += 1) {
    const downMs = Math.round(KILL_DOWN_MS[0] + random() * (KILL_DOWN_MS[1] - KILL_DOWN_MS[0]));
    events.push({
      atMs: Math.round((0.05 + 0.9 * random()) * opts.windowMs),
      run: async () => {
        killTimes.push(Date.now());
        await stack.worker.killAndRestart(downMs);
        return `worker SIGKILL, down ${downMs} ms`;
      },
    });
  }
  opts.temporalRestarts.forEach((signal, i) => {
    events.push({
      atMs: Math.round(((i + 1) / (opts.temporalRestarts.length + 1)) * opts.windowMs),
      run: async () => {
        await stack.temporal.restart(signal, TEMPORAL_DOWN_MS);
        return `Temporal ${signal}, down ${TEMPORAL_DOWN_MS} ms`;
      },
    });
  });
  return events.sort((a, b) => a.atMs - b.atMs);
}

async function readFinal(client: Client, clientOrderId: string, timeoutMs: number): Promise<FinalOrder> {
  // The wait is cancelled at the deadline: an abandoned long poll would retry on a closed connection later.
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const order = await client.withAbortSignal(deadline, () => client.workflow.getHandle(orderWorkflowId(clientOrderId)).result());
    return { order: order as PaperOrderState };
  } catch (err) {
    if (deadline.aborted) return { error: `not terminal within ${timeoutMs / 1000} s of the chaos ending` };
    return { error: `the order workflow did not complete: ${err instanceof Error ? err.message : String(err)}` };
  }
}

async function inBatches<T>(items: T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) await each(items[next++]!);
    }),
  );
}

export async function runChaos(stack: ChaosStack, opts: ChaosOptions): Promise<ChaosRun> {
  if (opts.submissions < 2) throw new Error(`submissions ${opts.submissions}: give at least 2 (two go at once)`);
  const random = seededRandom(opts.seed);
  const plan = planOrders({ ...opts, burstAtMs: Math.round(opts.windowMs * 0.3), random });
  const calls: CallRecord[] = [];
  const place = (order: PlannedOrder, submission: number): Promise<void> =>
    recordedCall(stack.execution.client, 'place_mock_order', order.args, submission, opts.callTimeoutMs).then((record) => {
      calls.push(record);
    });

  const began = Date.now();
  const elapsed = (): number => Date.now() - began;
  const restarts: string[] = [];
  const killTimes: number[] = [];
  const chaos = (async () => {
    for (const event of chaosEvents(stack, opts, random, killTimes)) {
      await sleep(event.atMs - elapsed());
      const what = await event.run();
      if (what.startsWith('Temporal')) restarts.push(what);
      opts.log(`chaos at ${(elapsed() / 1000).toFixed(1)} s: ${what}`);
    }
  })();

  // Submissions 0 and 1 together when the order first goes; 2 .. n-2 at random later in the window.
  const laterSubmissions = Math.max(0, opts.submissions - 3);
  const placing = plan.map(async (order) => {
    await sleep(order.atMs - elapsed());
    const first = [place(order, 0), place(order, 1)];
    const later = Array.from({ length: laterSubmissions }, async (_, k) => {
      await sleep(1_000 + random() * (opts.windowMs / 2));
      await place(order, 2 + k);
    });
    await Promise.all([...first, ...later]);
  });
  await Promise.all([chaos, ...placing]);
  opts.log(`chaos over after ${(elapsed() / 1000).toFixed(1)} s; ${calls.length} calls answered; settling`);

  await stack.worker.ready();
  const finals = new Map<string, FinalOrder>();
  await Promise.all(plan.map(async (o) => finals.set(o.args.client_order_id, await readFinal(stack.client, o.args.client_order_id, opts.settleTimeoutMs))));

  const unsettled = [...finals.values()].filter((f) => f.error).length;
  opts.log(`chaos settled after ${(elapsed() / 1000).toFixed(1)} s: ${finals.size - unsettled} orders final, ${unsettled} not; late submissions`);

  // The last submission of every id, once everything settled: a duplicate answering the final state.
  const lateCalls: CallRecord[] = [];
  if (opts.submissions >= 3) {
    await inBatches(plan, LATE_CONCURRENCY, async (order) => {
      lateCalls.push(await recordedCall(stack.execution.client, 'place_mock_order', order.args, opts.submissions - 1, opts.callTimeoutMs));
    });
  }
  return {
    plan,
    calls,
    lateCalls,
    workerKills: stack.worker.kills(),
    killTimes,
    temporalRestarts: restarts,
    unexpectedWorkerExits: stack.worker.unexpectedExits(),
    finals,
    durationMs: elapsed(),
  };
}
