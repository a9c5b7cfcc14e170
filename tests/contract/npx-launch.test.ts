/**
 * The per-server launch a host uses: `npx durable-crypto-agents <group>` runs the prebuilt bundle
 * of that server, both from this checkout and from the tarball `npm pack` makes (so a published
 * package works); launched through npx itself as well as through the launcher it runs.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TOOL_GROUPS, contractsByGroup } from '../../schemas/index.js';
import { toolJsonSchema } from '../../schemas/json-schema.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

interface Launch {
  command: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
}

const viaLauncher = (binPath: string, group: string, cwd: string): Launch => ({ command: process.execPath, args: [binPath, group], cwd });

async function withServer<T>(launch: Launch, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ name: 'npx-launch-test', version: '0' });
  const env = { ...(process.env as Record<string, string>), ...launch.env };
  await client.connect(new StdioClientTransport({ command: launch.command, args: launch.args, cwd: launch.cwd, env, stderr: 'ignore' }));
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

const listToolsVia = (launch: Launch): Promise<string[]> => withServer(launch, async (client) => (await client.listTools()).tools.map((t) => t.name).sort());

/** dist/ is built by the install; after source edits in a checkout it is rebuilt before packing. */
function distIsStale(): boolean {
  const built = join(repoRoot, 'dist', 'servers', 'agents', 'server.js');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
      const path = join(dir, e.name);
      return Math.max(max, e.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, 0);
  return ['servers', 'schemas', 'temporal', 'domain', 'worker', 'agents', 'scripts'].some((d) => newest(join(repoRoot, d)) > builtAt);
}

const expectedNames = (group: (typeof TOOL_GROUPS)[number]) => contractsByGroup[group].map((c) => c.name).sort();

describe('npx per-server launch', () => {
  let unpacked: string;
  let scratch: string;
  /** A host project with the tarball installed in its node_modules, as npm installs it. */
  let hostProject: string;
  /** npx's own cache for this test: its first launch from the checkout records it there. */
  let npxCache: string;

  beforeAll(() => {
    if (distIsStale()) {
      execFileSync(npm, ['run', 'build'], { cwd: repoRoot, stdio: 'ignore' });
    }
    scratch = mkdtempSync(join(tmpdir(), 'dca-pack-'));
    // dist/ was built by the install; packing again must not rebuild it under running tests.
    execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', scratch], { cwd: repoRoot, stdio: 'ignore' });
    const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack produced no tarball');
    execFileSync('tar', ['-xzf', join(scratch, tarball), '-C', scratch]);
    unpacked = join(scratch, 'package');
    // The dependencies an installer would fetch; linked from the checkout to stay offline.
    symlinkSync(join(repoRoot, 'node_modules'), join(unpacked, 'node_modules'), 'dir');
    hostProject = join(scratch, 'host');
    mkdirSync(join(hostProject, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(join(hostProject, 'package.json'), JSON.stringify({ name: 'host', private: true, dependencies: { 'durable-crypto-agents': `file:${join(scratch, tarball)}` } }));
    symlinkSync(unpacked, join(hostProject, 'node_modules', 'durable-crypto-agents'), 'dir');
    symlinkSync(join('..', 'durable-crypto-agents', 'bin', 'durable-crypto-agents.js'), join(hostProject, 'node_modules', '.bin', 'durable-crypto-agents'));
    npxCache = join(scratch, 'npm-cache');
  }, 120_000);

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('the tarball carries the prebuilt servers, their bundles and the workflow bundle, and no TypeScript sources', () => {
    expect(existsSync(join(unpacked, 'dist', 'workflow-bundle.js'))).toBe(true);
    for (const group of TOOL_GROUPS) {
      expect(existsSync(join(unpacked, 'dist', 'servers', group, 'server.js'))).toBe(true);
      expect(existsSync(join(unpacked, 'dist', 'bundle', group, 'server.cjs'))).toBe(true);
    }
    expect(existsSync(join(unpacked, 'servers', 'kit'))).toBe(false);
  });

  it('ships nothing from tests/: no test file, helper or fixture is in the tarball', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const path = join(dir, e.name);
        if (e.isSymbolicLink()) return [];
        return e.isDirectory() ? files(path) : [relative(unpacked, path)];
      });
    const shipped = files(unpacked);
    expect(shipped.length).toBeGreaterThan(50);
    expect(shipped.filter((f) => /(^|\/)tests?\/|\.test\.|fixtures\//.test(f))).toEqual([]);
  });

  it.each(TOOL_GROUPS)('starts the %s server from the checkout and from the tarball', async (group) => {
    expect(await listToolsVia(viaLauncher(join(repoRoot, 'bin', 'durable-crypto-agents.js'), group, tmpdir()))).toEqual(expectedNames(group));
    expect(await listToolsVia(viaLauncher(join(unpacked, 'bin', 'durable-crypto-agents.js'), group, tmpdir()))).toEqual(expectedNames(group));
  });

  it.each(TOOL_GROUPS)('the %s bundle lists exactly what its contracts say, in every field', async (group) => {
    const listed = await withServer(viaLauncher(join(repoRoot, 'bin', 'durable-crypto-agents.js'), group, tmpdir()), async (client) => (await client.listTools()).tools);
    expect(JSON.parse(JSON.stringify(listed))).toEqual(JSON.parse(JSON.stringify(contractsByGroup[group].map(toolJsonSchema))));
  });

  it('runs through npx itself, from the checkout and from a project that installed the tarball', async () => {
    const env = { npm_config_cache: npxCache, npm_config_offline: 'true', npm_config_update_notifier: 'false' };
    for (const group of TOOL_GROUPS) {
      expect(await listToolsVia({ command: npx, args: ['durable-crypto-agents', group], cwd: repoRoot, env })).toEqual(expectedNames(group));
      expect(await listToolsVia({ command: npx, args: ['durable-crypto-agents', group], cwd: hostProject, env })).toEqual(expectedNames(group));
    }
  }, 180_000);

  it('reaches Temporal from the bundle: the client it loads on the first call works', async () => {
    const env = { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: `npx-launch-${Date.now()}` };
    const result = await withServer({ ...viaLauncher(join(unpacked, 'bin', 'durable-crypto-agents.js'), 'execution', tmpdir()), env }, (client) =>
      client.callTool({ name: 'get_order_status', arguments: { client_order_id: `never-placed-${Date.now()}` } }),
    );
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('ORDER_NOT_FOUND');
  });

  it('compiles a server from the code cache its first start wrote, and from source when the cache is unusable', async () => {
    const cacheHome = join(scratch, 'xdg-cache');
    const launch = { ...viaLauncher(join(unpacked, 'bin', 'durable-crypto-agents.js'), 'ledger', tmpdir()), env: { XDG_CACHE_HOME: cacheHome } };
    expect(await listToolsVia(launch)).toEqual(expectedNames('ledger'));
    const cacheDir = join(cacheHome, 'durable-crypto-agents', 'v8-code-cache');
    const [cacheFile] = readdirSync(cacheDir);
    expect(cacheFile).toMatch(/\.bin$/);
    const written = statSync(join(cacheDir, cacheFile as string)).mtimeMs;
    expect(await listToolsVia(launch)).toEqual(expectedNames('ledger'));
    // Accepted: the second start read it and did not write it again.
    expect(statSync(join(cacheDir, cacheFile as string)).mtimeMs).toBe(written);
    // A corrupt cache is refused by V8: the server compiles from source and writes a good one.
    writeFileSync(join(cacheDir, cacheFile as string), Buffer.from('not a code cache'));
    expect(await listToolsVia(launch)).toEqual(expectedNames('ledger'));
    expect(readFileSync(join(cacheDir, cacheFile as string)).length).toBeGreaterThan(1000);
  });

  it('refuses an unknown server name with usage text and exit code 2', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, [join(repoRoot, 'bin', 'durable-crypto-agents.js'), 'nope'], { stdio: 'pipe' });
    } catch (err) {
      status = (err as { status: number }).status;
      stderr = String((err as { stderr: Buffer }).stderr);
    }
    expect(status).toBe(2);
    expect(stderr).toContain('unknown server "nope"');
    expect(stderr).toContain('market|risk|execution|ledger|agents|worker');
  });
});
