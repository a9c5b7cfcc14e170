/**
 * `npm run build` compiles the TypeScript to dist/, bundles each MCP server into one file for the
 * fast npx launch (scripts/build/server-bundles.ts) and builds the worker's workflow bundle.
 * `--if-stale` (what `npm install` and a checkout's first npx launch run) does nothing when dist/
 * was built from the sources as they are (scripts/build/build-stamp.ts).
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildWorkflowBundle } from '../worker/bundle.js';
import { buildIsCurrent, recordBuild, sourceFingerprint } from './build/build-stamp.js';
import { buildServerBundles } from './build/server-bundles.js';

const require = createRequire(import.meta.url);
const started = Date.now();
const fingerprint = sourceFingerprint();
if (process.argv.includes('--if-stale') && buildIsCurrent(fingerprint)) {
  console.error('build: dist/ is up to date with the sources');
  process.exit(0);
}
rmSync('dist', { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('build: TypeScript compilation failed');
  process.exit(tsc.status ?? 1);
}
const servers = await buildServerBundles();
const bundle = await buildWorkflowBundle();
recordBuild(fingerprint);
console.error(`build: dist/, ${servers.length} server bundles and ${bundle} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
