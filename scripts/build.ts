/**
 * `npm run build` (also run by npm install): compiles the TypeScript to dist/ for the fast npx
 * launch and builds the worker's workflow bundle.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildWorkflowBundle } from '../worker/bundle.js';

const require = createRequire(import.meta.url);
const started = Date.now();
rmSync('dist', { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('build: TypeScript compilation failed');
  process.exit(tsc.status ?? 1);
}
const bundle = await buildWorkflowBundle();
console.error(`build: dist/ and ${bundle} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
