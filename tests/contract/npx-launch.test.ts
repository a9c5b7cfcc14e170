/**
 * The per-server launch a host uses: `npx durable-crypto-agents <group>` runs prebuilt JavaScript,
 * both from this checkout and from the tarball `npm pack` makes (so a published package works).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOL_GROUPS, contractsByGroup } from '../../schemas/index.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

async function listToolsVia(binPath: string, group: string, cwd: string): Promise<string[]> {
  const client = new Client({ name: 'npx-launch-test', version: '0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [binPath, group], cwd, stderr: 'ignore' }));
  try {
    return (await client.listTools()).tools.map((t) => t.name).sort();
  } finally {
    await client.close();
  }
}

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
  }, 120_000);

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('the tarball carries the prebuilt servers and the workflow bundle, and no TypeScript sources', () => {
    expect(existsSync(join(unpacked, 'dist', 'workflow-bundle.js'))).toBe(true);
    for (const group of TOOL_GROUPS) expect(existsSync(join(unpacked, 'dist', 'servers', group, 'server.js'))).toBe(true);
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
    expect(await listToolsVia(join(repoRoot, 'bin', 'durable-crypto-agents.js'), group, tmpdir())).toEqual(expectedNames(group));
    expect(await listToolsVia(join(unpacked, 'bin', 'durable-crypto-agents.js'), group, tmpdir())).toEqual(expectedNames(group));
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
