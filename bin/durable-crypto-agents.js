#!/usr/bin/env node
// Per-server launch for MCP hosts: `npx durable-crypto-agents <group>` runs the prebuilt bundle
// of that server (dist/bundle/<group>/server.cjs: one file, no TypeScript loader, compiled from
// V8's code cache by server-loader.js), from a checkout or an installed tarball. `worker` runs the
// shared Temporal worker from dist/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const GROUPS = ['market', 'risk', 'execution', 'ledger', 'agents'];
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = process.argv[2];

function usage(message) {
  process.stderr.write(`${message}\nusage: durable-crypto-agents <${GROUPS.join('|')}|worker>\n`);
  process.exit(2);
}

if (!target) usage('missing what to start');
const relative = GROUPS.includes(target)
  ? join('bundle', target, 'server.cjs')
  : target === 'worker'
    ? join('worker', 'main.js')
    : usage(`unknown server "${target}"`);
const entry = join(root, 'dist', relative);
if (!existsSync(entry)) {
  usage(`${entry} is missing: run \`npm run build\` in ${root} (npm install does it)`);
}
if (target === 'worker') {
  await import(pathToFileURL(entry).href);
} else {
  const { runBundledServer } = await import('./server-loader.js');
  runBundledServer(entry);
}
