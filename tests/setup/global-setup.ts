/**
 * Starts one real Temporal dev server (in memory, on a free port) and builds the workflow bundle
 * once per test run; test files receive both through inject().
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findTemporalCli } from '../../scripts/temporal/find-cli.js';
import { startDevServer, type DevServer } from '../../scripts/temporal/dev-server.js';
import { freePort } from '../../scripts/temporal/free-port.js';
import { buildWorkflowBundle } from '../../worker/bundle.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

let server: DevServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  const cli = await findTemporalCli({ log: (line) => process.stderr.write(`${line}\n`) });
  const port = await freePort();
  server = await startDevServer({ cliPath: cli.path, port, headless: true, readinessTimeoutMs: 30_000 });
  const bundlePath = await buildWorkflowBundle(join(mkdtempSync(join(tmpdir(), 'dca-bundle-')), 'workflow-bundle.js'));
  project.provide('temporalAddress', server.address);
  project.provide('workflowBundlePath', bundlePath);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
