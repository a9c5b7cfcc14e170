/**
 * Locates the Temporal CLI (it embeds the dev server this stack runs on), building it from source
 * with Go when none is installed. The version is pinned so every machine runs the same server.
 *
 * Search order: TEMPORAL_CLI_PATH, `temporal` on PATH, the per-user cache, a Go build into that
 * cache, then the Temporal SDK's downloader when `@temporalio/testing` is installed.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { accessSync, constants, statSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir, hostname } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface TemporalCli {
  path: string;
  source: 'env' | 'path' | 'cache' | 'go-build' | 'sdk-download';
}

export interface FindTemporalCliOptions {
  /** Receives progress lines (a Go build's own output included); silent by default. */
  log?: (line: string) => void;
  /** false: only look for an existing binary, never compile or download one (default true). */
  allowBuild?: boolean;
}

export const TEMPORAL_CLI_VERSION = '1.5.1';

const CLI_MODULE = 'github.com/temporalio/cli';
const CLI_PACKAGE = `${CLI_MODULE}/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;
// The `go` directive in the go.mod of cli v1.5.1; older toolchains refuse to build it.
const MIN_GO_VERSION = '1.25';
const EXE_SUFFIX = process.platform === 'win32' ? '.exe' : '';
const CLI_FILE = `temporal${EXE_SUFFIX}`;

// A build takes minutes, so the lock holder refreshes the lock's mtime; only a lock nobody has
// touched for this long (or whose process is gone) is taken over.
const LOCK_STALE_MS = 15 * 60_000;
const LOCK_HEARTBEAT_MS = 60_000;
const LOCK_POLL_MS = 1_000;

/**
 * Where built or downloaded CLIs live: outside the repo (the binary is ~250 MB and must survive
 * `git clean`), one folder per version so upgrading never reuses a stale binary.
 */
export function temporalCliCacheDir(): string {
  const explicit = process.env.DCA_CACHE_DIR;
  const xdg = process.env.XDG_CACHE_HOME;
  const base = explicit
    ? resolve(explicit)
    : // The XDG spec says relative values are invalid and must be ignored.
      xdg && isAbsolute(xdg)
      ? join(xdg, 'durable-crypto-agents')
      : join(homedir(), '.cache', 'durable-crypto-agents');
  return join(base, `temporal-cli-${TEMPORAL_CLI_VERSION}`);
}

export async function findTemporalCli(opts: FindTemporalCliOptions = {}): Promise<TemporalCli> {
  const log = opts.log ?? (() => {});

  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    // An explicit choice that is broken is an error, not a reason to silently run another binary.
    if (!isExecutableFile(fromEnv)) {
      throw new Error(
        `TEMPORAL_CLI_PATH=${fromEnv} is not an executable file. Point TEMPORAL_CLI_PATH at a Temporal CLI binary, or unset it to search PATH and ${temporalCliCacheDir()}.`,
      );
    }
    return { path: resolve(fromEnv), source: 'env' };
  }

  const onPath = findOnPath('temporal');
  if (onPath) return { path: onPath, source: 'path' };

  const cacheDir = temporalCliCacheDir();
  const cached = join(cacheDir, CLI_FILE);
  if (isExecutableFile(cached)) return { path: cached, source: 'cache' };

  // Why each fallback failed, so the final error explains more than "not found".
  const failures: string[] = [];
  if (opts.allowBuild === false) {
    failures.push('building and downloading were not allowed (allowBuild: false)');
  } else {
    const go = findOnPath('go');
    if (go) {
      try {
        return await buildWithGo(go, cacheDir, log);
      } catch (error) {
        failures.push(`Go build failed: ${errorMessage(error)}`);
      }
    } else {
      failures.push('`go` is not on PATH');
    }
    try {
      return await downloadWithSdk(cacheDir, log);
    } catch (error) {
      failures.push(`SDK download: ${errorMessage(error)}`);
    }
  }

  throw new Error(
    [
      `No Temporal CLI found. Install Go >= ${MIN_GO_VERSION} (then this script builds ${CLI_PACKAGE} into ${cacheDir}), or put \`temporal\` on PATH, or set TEMPORAL_CLI_PATH=/path/to/temporal.`,
      ...failures.map((failure) => `  - ${failure}`),
    ].join('\n'),
  );
}

/** A regular file this process may execute (a directory named `temporal` does not count). */
function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** PATH lookup done here so the search behaves the same everywhere and needs no `which`. */
function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    // An empty entry means the current directory; a stray binary in the repo should not win silently.
    if (!dir) continue;
    const candidate = join(dir, `${name}${EXE_SUFFIX}`);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * (d) `go install` the pinned CLI into a private temp folder inside the cache, then rename it into
 * place: the rename is atomic, so a crashed or concurrent build never leaves a half-written
 * `temporal` for the cache check to pick up. The lock only saves a second caller from repeating
 * minutes of work; it waits for the first instead.
 */
async function buildWithGo(go: string, cacheDir: string, log: (line: string) => void): Promise<TemporalCli> {
  await mkdir(cacheDir, { recursive: true });
  const target = join(cacheDir, CLI_FILE);
  const lock = await acquireBuildLock(cacheDir, log);
  try {
    // The caller we waited for has probably just built it.
    if (isExecutableFile(target)) return { path: target, source: 'cache' };
    const gobin = await mkdtemp(join(cacheDir, '.build-'));
    try {
      log(`Building Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${cacheDir} (a few minutes the first time)...`);
      const started = Date.now();
      await runGoInstall(go, gobin, log);
      await rename(join(gobin, CLI_FILE), target);
      log(`Built ${target} in ${Math.round((Date.now() - started) / 1000)} s`);
    } finally {
      await rm(gobin, { recursive: true, force: true });
    }
    return { path: target, source: 'go-build' };
  } finally {
    await lock.release();
  }
}

function runGoInstall(go: string, gobin: string, log: (line: string) => void): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GOBIN: gobin,
    // Replaces any user GOFLAGS (e.g. -mod=vendor) that would break a module-mode install; no VCS
    // stamping since the module comes from the proxy, not a checkout.
    GOFLAGS: '-buildvcs=false',
  };
  // The binary has to run on this machine; a cross-compile setting would also make GOBIN fail.
  delete env.GOOS;
  delete env.GOARCH;
  const args = [
    'install',
    '-ldflags',
    // Without this the binary reports version "0.0.0-DEV" instead of the release it was built from.
    `-X ${CLI_MODULE}/temporalcli.Version=${TEMPORAL_CLI_VERSION}`,
    CLI_PACKAGE,
  ];
  return new Promise((resolvePromise, reject) => {
    // Run from the temp folder so a go.mod or go.work around the caller's cwd cannot interfere.
    const child = spawn(go, args, { cwd: gobin, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const onLine = (line: string): void => {
      log(line);
      tail.push(line);
      if (tail.length > 20) tail.shift();
    };
    createInterface({ input: child.stderr }).on('line', onLine);
    createInterface({ input: child.stdout }).on('line', onLine);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`go install exited with ${signal ?? `code ${code}`}${tail.length ? `:\n${tail.join('\n')}` : ''}`));
    });
  });
}

interface BuildLock {
  release(): Promise<void>;
}

interface LockContent {
  token: string;
  pid: number;
  host: string;
}

/** Takes `<cacheDir>/.build.lock` (O_EXCL create), waiting while another live build holds it. */
async function acquireBuildLock(cacheDir: string, log: (line: string) => void): Promise<BuildLock> {
  const lockPath = join(cacheDir, '.build.lock');
  const mine: LockContent = { token: randomUUID(), pid: process.pid, host: hostname() };
  let announced = false;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      try {
        await handle.writeFile(JSON.stringify(mine));
      } finally {
        await handle.close();
      }
      const heartbeat = setInterval(() => {
        const now = new Date();
        utimes(lockPath, now, now).catch(() => {});
      }, LOCK_HEARTBEAT_MS);
      heartbeat.unref();
      return {
        release: async () => {
          clearInterval(heartbeat);
          // Delete only our own lock, never one a later caller took over.
          if ((await readLock(lockPath))?.token === mine.token) await unlink(lockPath).catch(() => {});
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }

    if (await isStaleLock(lockPath)) {
      // Two waiters can both judge the same lock stale; the worst outcome is two builds, which the
      // atomic rename keeps harmless.
      log(`Taking over abandoned build lock ${lockPath}`);
      await unlink(lockPath).catch(() => {});
      continue;
    }
    if (!announced) {
      log(`Waiting for another process to finish building the Temporal CLI (lock: ${lockPath})...`);
      announced = true;
    }
    await sleep(LOCK_POLL_MS);
  }
}

async function isStaleLock(lockPath: string): Promise<boolean> {
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(lockPath)).mtimeMs;
  } catch {
    return false; // Released meanwhile: the next O_EXCL attempt decides.
  }
  if (Date.now() - mtimeMs > LOCK_STALE_MS) return true;
  // A build interrupted with Ctrl-C leaves its lock behind; do not make the next run wait 15 minutes.
  const holder = await readLock(lockPath);
  return holder !== undefined && holder.host === hostname() && !isProcessAlive(holder.pid);
}

async function readLock(lockPath: string): Promise<LockContent | undefined> {
  try {
    const parsed = JSON.parse(await readFile(lockPath, 'utf8')) as Partial<LockContent>;
    if (typeof parsed.token === 'string' && typeof parsed.pid === 'number' && typeof parsed.host === 'string') {
      return { token: parsed.token, pid: parsed.pid, host: parsed.host };
    }
  } catch {
    // Missing, or created but not written yet: treated as unknown.
  }
  return undefined;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The subset of `@temporalio/testing` used below; typed here because the package is optional. */
interface TestingModule {
  TestWorkflowEnvironment: {
    createLocal(opts: {
      server: {
        ip: string;
        ui: boolean;
        executable: { type: 'cached-download'; downloadDir: string; version: string };
      };
    }): Promise<{ teardown(): Promise<void> }>;
  };
}

/**
 * (e) The Temporal SDK's test package downloads prebuilt CLIs from temporal.download. It offers no
 * download-only call, so this starts and stops one throwaway dev server to trigger the download,
 * then moves the binary into the cache. Not available unless `@temporalio/testing` is installed
 * (it is not a dependency of this project), and skipped when temporal.download does not resolve.
 */
async function downloadWithSdk(cacheDir: string, log: (line: string) => void): Promise<TemporalCli> {
  const specifier = '@temporalio/testing';
  try {
    createRequire(import.meta.url).resolve(specifier);
  } catch {
    throw new Error(`not available (${specifier} is not installed)`);
  }
  try {
    await lookup('temporal.download');
  } catch {
    throw new Error('not available (temporal.download does not resolve: no network?)');
  }

  const { TestWorkflowEnvironment } = (await import(specifier)) as TestingModule;
  const downloadDir = join(cacheDir, 'sdk-download');
  await mkdir(downloadDir, { recursive: true });
  log(`Downloading Temporal CLI v${TEMPORAL_CLI_VERSION} with ${specifier} into ${downloadDir}...`);
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      ui: false,
      executable: { type: 'cached-download', downloadDir, version: `v${TEMPORAL_CLI_VERSION}` },
    },
  });
  await env.teardown();

  // The SDK's core names a pinned download `temporal-<version>` inside downloadDir.
  const downloaded = join(downloadDir, `temporal-v${TEMPORAL_CLI_VERSION}${EXE_SUFFIX}`);
  if (!isExecutableFile(downloaded)) throw new Error(`the SDK started a server but ${downloaded} is missing`);
  const target = join(cacheDir, CLI_FILE);
  await rename(downloaded, target);
  return { path: target, source: 'sdk-download' };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
}
