/**
 * How the startup bench launches a server, each the way a host would: `node` on the launcher,
 * `npx` in this checkout, and `npx` in a project that installed the tarball `npm pack` makes. The
 * installed project links its dependencies from this checkout's node_modules (the bench stays
 * offline) and the package itself is unpacked, not linked, exactly as npm installs it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../stack/paths.js';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface Launch {
  label: string;
  command: string;
  args: string[];
  cwd: string;
}

export const nodeLaunch = (group: string): Launch => ({
  label: 'node bin/durable-crypto-agents.js',
  command: process.execPath,
  args: [join(repoRoot, 'bin', 'durable-crypto-agents.js'), group],
  cwd: repoRoot,
});

export const checkoutNpxLaunch = (group: string): Launch => ({ label: 'npx, in the checkout', command: npx, args: ['durable-crypto-agents', group], cwd: repoRoot });

export const installedNpxLaunch = (project: string, group: string): Launch => ({
  label: 'npx, installed from the tarball',
  command: npx,
  args: ['durable-crypto-agents', group],
  cwd: project,
});

/** A scratch project with the packed tarball installed; removed by the returned function. */
export function installPackedTarball(): { project: string; remove(): void } {
  const scratch = mkdtempSync(join(tmpdir(), 'dca-bench-pack-'));
  // dist/ is built already: packing must not build it again under a running bench.
  execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', scratch], { cwd: repoRoot, stdio: 'ignore' });
  const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack produced no tarball');
  const project = join(scratch, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'bench-host', private: true, dependencies: { 'durable-crypto-agents': `file:${join(scratch, tarball)}` } }));
  const installed = join(project, 'node_modules', 'durable-crypto-agents');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', join(scratch, tarball), '-C', installed, '--strip-components', '1']);
  symlinkSync(join(repoRoot, 'node_modules'), join(installed, 'node_modules'), 'dir');
  mkdirSync(join(project, 'node_modules', '.bin'));
  symlinkSync(join('..', 'durable-crypto-agents', 'bin', 'durable-crypto-agents.js'), join(project, 'node_modules', '.bin', 'durable-crypto-agents'));
  return { project, remove: () => rmSync(scratch, { recursive: true, force: true }) };
}
