import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { buildWorkflowBundle } from '/work/main/worker/bundle.js';
import { startDevServer } from '/work/main/scripts/temporal/dev-server.js';
import { freePort } from '/work/main/scripts/temporal/free-port.js';
import { benchMarket } from '/work/main/scripts/bench/market.js';
Runtime.install({ logger: new DefaultLogger('ERROR') });
const server = await startDevServer({ port: await freePort(), headless: true });
const bundlePath = await buildWorkflowBundle(join(mkdtempSync(join(tmpdir(), 'dca-bench-')), 'workflow-bundle.js'));
try { await benchMarket({ temporalAddress: server.address, bundlePath, report: (l) => console.log('  ' + l) }); } finally { await server.stop(); }
