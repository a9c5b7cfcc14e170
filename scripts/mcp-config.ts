/**
 * `npm run mcp:config -- --host claude|vscode|cursor [--from-source]` prints the configuration of
 * the five servers in that host's format, with absolute paths so the host can launch them from
 * anywhere. By default hosts run the prebuilt JavaScript (fast start); --from-source runs the
 * TypeScript through tsx instead.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { repoRoot } from './stack/paths.js';

const HOSTS = ['claude', 'vscode', 'cursor'] as const;
type Host = (typeof HOSTS)[number];
/** Connection settings worth carrying into the host's environment; secrets are never printed. */
const FORWARDED_ENV = ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE'];

const { values } = parseArgs({ options: { host: { type: 'string' }, 'from-source': { type: 'boolean', default: false } } });
const host = values.host as Host | undefined;
if (!host || !HOSTS.includes(host)) {
  console.error(`usage: npm run mcp:config -- --host ${HOSTS.join('|')} [--from-source]`);
  process.exit(2);
}

const groups = Object.keys((JSON.parse(readFileSync(join(repoRoot, 'mcp.json'), 'utf8')) as { mcpServers: object }).mcpServers);
const env = Object.fromEntries(FORWARDED_ENV.filter((k) => process.env[k]).map((k) => [k, process.env[k] as string]));
const tsxLoader = pathToFileURL(createRequire(join(repoRoot, 'package.json')).resolve('tsx')).href;

function launch(group: string): { command: string; args: string[]; env?: Record<string, string> } {
  const args = values['from-source']
    ? ['--import', tsxLoader, join(repoRoot, 'servers', group, 'server.ts')]
    : [join(repoRoot, 'bin', 'durable-crypto-agents.js'), group];
  return { command: process.execPath, args, ...(Object.keys(env).length ? { env } : {}) };
}

const servers = Object.fromEntries(groups.map((g) => [g, host === 'vscode' ? { type: 'stdio', ...launch(g) } : launch(g)]));
const config = host === 'vscode' ? { servers } : { mcpServers: servers };
console.log(JSON.stringify(config, null, 2));
const where: Record<Host, string> = {
  claude: 'claude_desktop_config.json (Claude Desktop: Settings > Developer > Edit Config)',
  vscode: '.vscode/mcp.json in your workspace',
  cursor: '~/.cursor/mcp.json (or .cursor/mcp.json in a project)',
};
console.error(`Paste into ${where[host]}. Keep \`npm start\` (or a worker on your cluster) running for the tools to work.`);
if (process.env.TEMPORAL_API_KEY) console.error('TEMPORAL_API_KEY is set here but not printed: add it to the host\'s env block yourself.');
