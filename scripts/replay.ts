/**
 * `npm run replay [-- --limit N --query "<visibility query>"]`: fetches the histories of recent
 * workflows from the server (TEMPORAL_ADDRESS or the local dev server) and replays them against the
 * current workflow code, reporting any determinism error. Exit code 1 when one is found.
 */
import { Client, Connection } from '@temporalio/client';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { parseArgs } from 'node:util';
import { connectionOptions, temporalEnv } from '../servers/kit/temporal-env.js';
import { ensureWorkflowBundle } from '../worker/bundle.js';
import { replayRecentHistories } from '../worker/replay/replay-histories.js';

const { values } = parseArgs({ options: { limit: { type: 'string', default: '200' }, query: { type: 'string' } } });
const limit = Number(values.limit);
if (!Number.isInteger(limit) || limit < 1) {
  console.error(`--limit ${values.limit} must be a positive integer`);
  process.exit(2);
}

Runtime.install({ logger: new DefaultLogger('ERROR') });
const env = temporalEnv();
const connection = await Connection.connect({ ...connectionOptions(env), connectTimeout: '5 seconds' }).catch((err: unknown) => {
  console.error(`Temporal is not reachable at ${env.address}: ${err instanceof Error ? err.message : String(err)}. Start it with \`npm start\` or set TEMPORAL_ADDRESS.`);
  process.exit(1);
});
try {
  const client = new Client({ connection, namespace: env.namespace });
  const report = await replayRecentHistories(client, {
    bundlePath: await ensureWorkflowBundle(),
    limit,
    ...(values.query ? { query: values.query } : {}),
  });
  for (const f of report.failures) console.error(`DETERMINISM ERROR ${f.workflowType ?? ''} ${f.workflowId} (run ${f.runId}): ${f.error}`);
  console.log(`replayed ${report.replayed} histories: ${report.failures.length} determinism error(s)`);
  process.exitCode = report.failures.length ? 1 : 0;
} finally {
  await connection.close();
}
