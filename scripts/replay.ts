/**
 * `npm run replay`: replays workflow histories against the current workflow code and reports any
 * determinism error (exit code 1 when one is found).
 *
 *   npm run replay [-- --limit N --query "<visibility query>"]   recent runs on the server (TEMPORAL_ADDRESS or the local dev server)
 *   npm run replay -- --from <dir>                               history files recorded earlier
 *   npm run replay -- --save <dir> [--per-type N]                 record histories from the server as files
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { parseArgs } from 'node:util';
import { connectionOptions, temporalEnv } from '../temporal/temporal-env.js';
import { ensureWorkflowBundle } from '../worker/bundle.js';
import { replayHistoryFiles, saveHistories } from '../worker/replay/history-files.js';
import { replayRecentHistories, type ReplayReport } from '../worker/replay/replay-histories.js';

const { values } = parseArgs({
  options: {
    limit: { type: 'string', default: '200' },
    query: { type: 'string' },
    from: { type: 'string' },
    save: { type: 'string' },
    'per-type': { type: 'string', default: '2' },
  },
});

function positiveInteger(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} ${raw} must be a positive integer`);
    process.exit(2);
  }
  return value;
}

function report(result: ReplayReport): void {
  for (const f of result.failures) console.error(`DETERMINISM ERROR ${f.workflowType ?? ''} ${f.workflowId} (run ${f.runId}): ${f.error}`);
  console.log(`replayed ${result.replayed} histories: ${result.failures.length} determinism error(s)`);
  process.exitCode = result.failures.length ? 1 : 0;
}

Runtime.install({ logger: new DefaultLogger('ERROR') });
const limit = positiveInteger('limit', values.limit as string);
const perType = positiveInteger('per-type', values['per-type'] as string);

if (values.from) {
  report(await replayHistoryFiles(values.from, await ensureWorkflowBundle()));
} else {
  const env = temporalEnv();
  const connection = await Connection.connect({ ...connectionOptions(env), connectTimeout: '5 seconds' }).catch((err: unknown) => {
    console.error(`Temporal is not reachable at ${env.address}: ${err instanceof Error ? err.message : String(err)}. Start it with \`npm start\` or set TEMPORAL_ADDRESS.`);
    process.exit(1);
  });
  try {
    const client = new Client({ connection, namespace: env.namespace });
    if (values.save) {
      const files = await saveHistories(client, {
        dir: values.save,
        perType,
        maxBytes: 512 * 1024,
        ...(values.query ? { query: values.query } : {}),
      });
      console.log(`saved ${files.length} histories under ${values.save}`);
    } else {
      report(await replayRecentHistories(client, { bundlePath: await ensureWorkflowBundle(), limit, ...(values.query ? { query: values.query } : {}) }));
    }
  } finally {
    await connection.close();
  }
}
