/**
 * `npm start`: the whole stack on embedded defaults. Temporal (the embedded dev server with its
 * state in .data/, or TEMPORAL_ADDRESS), the worker, and a clean stop on Ctrl-C; the next start
 * continues from the saved state.
 *
 *   npm start                       run until Ctrl-C
 *   npm start -- --duration <sec>   run headless for that long, then stop and exit 0
 */
import { parseArgs } from 'node:util';
import { ensureTemporal } from './stack/temporal.js';
import { startWorkerProcess } from './stack/worker-process.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
  allowPositionals: false,
});

const duration = values.duration === undefined ? undefined : Number(values.duration);
if (duration !== undefined && (!Number.isFinite(duration) || duration <= 0)) {
  console.error(`--duration ${values.duration} is not a positive number of seconds`);
  process.exit(2);
}

const say = (line: string) => console.log(line);
const quiet = (line: string) => {
  if (values.verbose) console.log(line);
};

const temporal = await ensureTemporal(quiet).catch((err: unknown) => {
  console.error(`Temporal could not be started: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
say(`Temporal: ${temporal.env.address} (${temporal.embedded ? 'embedded dev server, state in .data/temporal.db' : 'existing server'})`);
if (temporal.uiUrl) say(`Temporal UI: ${temporal.uiUrl}`);

const workerEnv = { ...process.env, TEMPORAL_ADDRESS: temporal.env.address };
const worker = await startWorkerProcess(workerEnv, quiet).catch(async (err: unknown) => {
  console.error(`The worker could not start: ${err instanceof Error ? err.message : String(err)}`);
  await temporal.stop();
  process.exit(1);
});
say(`Worker ready on task queue ${temporal.env.taskQueue}.`);
say('MCP hosts: `npm run mcp:config -- --host claude|vscode|cursor` prints their configuration.');

let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('Stopping: the worker finishes its in-flight activities, then Temporal saves its state.');
    await worker.stop();
    await temporal.stop();
    say('Stopped.');
  }
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
void worker.exited.then((code) => {
  if (!stopping) {
    console.error(`The worker exited unexpectedly (code ${code}).`);
    void stop(1);
  }
});

if (duration !== undefined) {
  setTimeout(() => void stop(0), duration * 1000);
} else {
  say('Press Ctrl-C to stop.');
}
