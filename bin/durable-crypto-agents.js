#!/usr/bin/env node
// Per-server launch for MCP hosts: `npx durable-crypto-agents <group>` runs the prebuilt
// JavaScript of that server (fast start, no TypeScript loader), from a checkout or an installed
// tarball. `worker` runs the shared Temporal worker the same way.
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
  ? join('servers', target, 'server.js')
  : target === 'worker'
    ? join('worker', 'main.js')
    : usage(`unknown server "${target}"`);
const entry = join(root, 'dist', relative);
if (!existsSync(entry)) {
  usage(`${entry} is missing: run \`npm run build\` in ${root} (npm install does it)`);
}
await import(pathToFileURL(entry).href);
