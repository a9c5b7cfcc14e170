/**
 * Keeps one worker process running the way an operator's process manager does: the chaos driver
 * SIGKILLs it on purpose, and any exit it did not ask for (a worker that gives up while Temporal is
 * down, say) is restarted too and counted, so a run shows both.
 */
import { spawnWorkerProcess, type WorkerProcess } from '../stack/worker-process.js';

const READY_TIMEOUT_MS = 180_000;
const RESPAWN_PAUSE_MS = 1_000;

export interface WorkerSupervisor {
  /** SIGKILLs the running worker, waits downMs, then starts a new one and waits for it to be ready. */
  killAndRestart(downMs: number): Promise<void>;
  kills(): number;
  /** Exits nobody asked for, each followed by a restart. */
  unexpectedExits(): string[];
  /** Resolves once a worker is ready (at once when one is). */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

export async function superviseWorker(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<WorkerSupervisor> {
  let current: WorkerProcess | undefined;
  let currentReady: Promise<void> = Promise.resolve();
  const killedOnPurpose = new Set<WorkerProcess>();
  let stopped = false;
  let kills = 0;
  const unexpected: string[] = [];

  const start = (): Promise<void> => {
    const worker = spawnWorkerProcess(env, { log, readyTimeoutMs: READY_TIMEOUT_MS });
    current = worker;
    void worker.exited.then(({ code, signal }) => {
      if (stopped || killedOnPurpose.has(worker) || current !== worker) return;
      unexpected.push(`the worker exited by itself (${signal ?? `code ${code}`}): ${worker.output().trim().split('\n').slice(-3).join(' | ')}`);
      setTimeout(() => {
        if (!stopped && current === worker) currentReady = start();
      }, RESPAWN_PAUSE_MS);
    });
    // A worker that fails to get ready ends itself; the exit handler above starts the next one.
    return worker.ready.then(
      () => undefined,
      () => undefined,
    );
  };

  // The run's worker never outlives the run, whatever ends it.
  const killOnExit = (): void => {
    current?.child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  currentReady = start();
  await current!.ready;

  return {
    async killAndRestart(downMs) {
      if (current) {
        killedOnPurpose.add(current);
        await current.kill();
        kills += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, downMs));
      currentReady = start();
      await currentReady;
    },
    kills: () => kills,
    unexpectedExits: () => [...unexpected],
    async ready() {
      // A restart may itself be replaced by another after an unexpected exit: wait for the newest.
      for (let seen: Promise<void> | undefined; seen !== currentReady; ) {
        seen = currentReady;
        await seen;
      }
    },
    async stop() {
      stopped = true;
      await current?.stop(10_000);
      process.off('exit', killOnExit);
    },
  };
}
