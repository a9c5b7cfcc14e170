/**
 * How findTemporalCli picks a binary. Every test builds its own PATH, cache folder and fake
 * executables in a temp folder, so the machine's real CLI and cache are never consulted or touched.
 * The Go build is exercised with a fake `go` that writes a binary instantly, not a real compile.
 */
import { describe, it, expect } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTemporalCli, temporalCliCacheDir, TEMPORAL_CLI_VERSION } from '../../scripts/temporal/find-cli.js';

/** Runs fn with env changes applied, then puts process.env back exactly as it was. */
async function withEnv<T>(changes: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    return await fn();
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'dca-find-cli-'));
}

function writeExecutable(path: string, content = '#!/bin/sh\necho fake temporal\n'): string {
  writeFileSync(path, content);
  chmodSync(path, 0o755);
  return path;
}

/**
 * A stand-in for `go` written in JS (run by this very Node binary, so it needs nothing on PATH):
 * records how it was called, then "builds" by writing an executable `temporal` into $GOBIN.
 */
function writeFakeGo(dir: string, opts: { fail?: boolean } = {}): { callsFile: string } {
  const callsFile = join(dir, 'go-calls.jsonl');
  const body = opts.fail
    ? `process.stderr.write('go: cannot build: simulated failure\\n'); process.exit(1);`
    : `process.stderr.write('go: downloading github.com/temporalio/cli v${TEMPORAL_CLI_VERSION}\\n');
setTimeout(() => {
  const out = path.join(process.env.GOBIN, 'temporal');
  fs.writeFileSync(out, '#!/bin/sh\\necho built\\n');
  fs.chmodSync(out, 0o755);
}, 1000);`;
  writeExecutable(
    join(dir, 'go'),
    `#!${process.execPath}
const fs = require('node:fs');
const path = require('node:path');
fs.appendFileSync(${JSON.stringify(callsFile)}, JSON.stringify({ args: process.argv.slice(2), GOBIN: process.env.GOBIN, GOFLAGS: process.env.GOFLAGS }) + '\\n');
${body}
`,
  );
  return { callsFile };
}

/** An environment where nothing is found: PATH is one empty folder and the cache is empty. */
function emptyWorld(): { binDir: string; changes: Record<string, string | undefined> } {
  const root = tempDir();
  const binDir = join(root, 'bin');
  mkdirSync(binDir);
  return { binDir, changes: { PATH: binDir, DCA_CACHE_DIR: join(root, 'cache'), TEMPORAL_CLI_PATH: undefined } };
}

describe('findTemporalCli', () => {
  it('rejects a TEMPORAL_CLI_PATH that does not exist, naming the variable', async () => {
    const missing = join(tempDir(), 'no-such-temporal');
    await withEnv({ TEMPORAL_CLI_PATH: missing }, async () => {
      const error = await findTemporalCli().then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toContain('TEMPORAL_CLI_PATH');
      expect(error?.message).toContain(missing);
    });
  });

  it('rejects a TEMPORAL_CLI_PATH that is not executable', async () => {
    const plain = join(tempDir(), 'temporal');
    writeFileSync(plain, 'not a program');
    await withEnv({ TEMPORAL_CLI_PATH: plain }, async () => {
      await expect(findTemporalCli()).rejects.toThrow(/TEMPORAL_CLI_PATH=.*not an executable file/);
    });
  });

  it('prefers an executable TEMPORAL_CLI_PATH over one on PATH', async () => {
    const { binDir, changes } = emptyWorld();
    writeExecutable(join(binDir, 'temporal'));
    const chosen = writeExecutable(join(tempDir(), 'my-temporal'));
    await withEnv({ ...changes, TEMPORAL_CLI_PATH: chosen }, async () => {
      await expect(findTemporalCli()).resolves.toEqual({ path: chosen, source: 'env' });
    });
  });

  it('finds `temporal` on PATH', async () => {
    const { binDir, changes } = emptyWorld();
    const other = tempDir(); // an earlier PATH entry without temporal is skipped
    const onPath = writeExecutable(join(binDir, 'temporal'));
    await withEnv({ ...changes, PATH: `${other}:${binDir}` }, async () => {
      await expect(findTemporalCli()).resolves.toEqual({ path: onPath, source: 'path' });
    });
  });

  it('ignores a non-executable `temporal` on PATH', async () => {
    const { binDir, changes } = emptyWorld();
    writeFileSync(join(binDir, 'temporal'), 'not a program');
    await withEnv(changes, async () => {
      await expect(findTemporalCli({ allowBuild: false })).rejects.toThrow(/No Temporal CLI found/);
    });
  });

  it('finds the cached binary when PATH has none', async () => {
    const { changes } = emptyWorld();
    await withEnv(changes, async () => {
      const cacheDir = temporalCliCacheDir();
      expect(cacheDir).toBe(join(changes.DCA_CACHE_DIR!, `temporal-cli-${TEMPORAL_CLI_VERSION}`));
      mkdirSync(cacheDir, { recursive: true });
      const cached = writeExecutable(join(cacheDir, 'temporal'));
      await expect(findTemporalCli()).resolves.toEqual({ path: cached, source: 'cache' });
    });
  });

  it('puts the cache under XDG_CACHE_HOME, then ~/.cache, when DCA_CACHE_DIR is unset', async () => {
    await withEnv({ DCA_CACHE_DIR: undefined, XDG_CACHE_HOME: '/xdg' }, async () => {
      expect(temporalCliCacheDir()).toBe(`/xdg/durable-crypto-agents/temporal-cli-${TEMPORAL_CLI_VERSION}`);
    });
    await withEnv({ DCA_CACHE_DIR: undefined, XDG_CACHE_HOME: undefined, HOME: '/home/someone' }, async () => {
      expect(temporalCliCacheDir()).toBe(`/home/someone/.cache/durable-crypto-agents/temporal-cli-${TEMPORAL_CLI_VERSION}`);
    });
  });

  it('without go, temporal or a cached binary, says what to install', async () => {
    const { changes } = emptyWorld();
    await withEnv(changes, async () => {
      const error = await findTemporalCli().then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(/^No Temporal CLI found\. Install Go >= /);
      expect(error?.message).toContain(`github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`);
      expect(error?.message).toContain(temporalCliCacheDir());
      expect(error?.message).toContain('TEMPORAL_CLI_PATH=/path/to/temporal');
      expect(error?.message).toContain('`go` is not on PATH');
    });
  });

  it('builds once with go when two callers race, and the second waits for the first', async () => {
    const { binDir, changes } = emptyWorld();
    const { callsFile } = writeFakeGo(binDir);
    await withEnv(changes, async () => {
      const lines: string[] = [];
      const [first, second] = await Promise.all([
        findTemporalCli({ log: (line) => lines.push(line) }),
        findTemporalCli({ log: (line) => lines.push(line) }),
      ]);
      const cacheDir = temporalCliCacheDir();
      const target = join(cacheDir, 'temporal');
      expect([first.source, second.source].sort()).toEqual(['cache', 'go-build']);
      expect(first.path).toBe(target);
      expect(second.path).toBe(target);

      const calls = readFileSync(callsFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { args: string[]; GOBIN: string; GOFLAGS: string });
      expect(calls).toHaveLength(1);
      expect(calls[0]!.args).toEqual([
        'install',
        '-ldflags',
        `-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`,
        `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`,
      ]);
      expect(calls[0]!.GOFLAGS).toBe('-buildvcs=false');
      // Built in a private folder inside the cache, then moved into place.
      expect(calls[0]!.GOBIN.startsWith(join(cacheDir, '.build-'))).toBe(true);
      expect(lines).toContain(`go: downloading github.com/temporalio/cli v${TEMPORAL_CLI_VERSION}`);
      expect(lines.some((line) => line.startsWith('Waiting for another process'))).toBe(true);
      // No lock or temp folder left behind.
      expect(readdirSync(cacheDir)).toEqual(['temporal']);
    });
  });

  it('takes over a build lock left by a process that no longer exists', async () => {
    const { binDir, changes } = emptyWorld();
    writeFakeGo(binDir);
    await withEnv(changes, async () => {
      const cacheDir = temporalCliCacheDir();
      mkdirSync(cacheDir, { recursive: true });
      // Highest possible Linux pid is 2^22, so this one cannot be running.
      writeFileSync(join(cacheDir, '.build.lock'), JSON.stringify({ token: 'old', pid: 2 ** 22 + 1, host: hostname() }));
      await expect(findTemporalCli()).resolves.toEqual({ path: join(cacheDir, 'temporal'), source: 'go-build' });
      expect(existsSync(join(cacheDir, '.build.lock'))).toBe(false);
    });
  });

  it('reports a failed go build with its output and cleans up', async () => {
    const { binDir, changes } = emptyWorld();
    writeFakeGo(binDir, { fail: true });
    await withEnv(changes, async () => {
      await expect(findTemporalCli()).rejects.toThrow(/No Temporal CLI found[\s\S]*Go build failed[\s\S]*simulated failure/);
      expect(readdirSync(temporalCliCacheDir())).toEqual([]);
    });
  });
});
