// Runs a bundled server (dist/bundle/<group>/server.cjs) compiled from V8's code cache when one
// matches: most of a server's cold start is compiling its code, and the cache skips that. The
// cache is written when the process exits, holding every function compiled by then (the
// handshake and tools/list), under the user's cache directory; V8 itself refuses a cache made for
// another source, Node version or set of flags, and the server then compiles as usual and writes
// a fresh one. A cache that cannot be read or written only costs the compile.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

function cacheDirectory() {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'durable-crypto-agents', 'v8-code-cache');
}

function readCache(path) {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

function writeCache(path, data) {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, data);
    renameSync(partial, path); // whole or not at all: a concurrent start never reads half a cache
  } catch {
    // A read-only home or a full disk: the next start compiles again.
  }
}

export function runBundledServer(bundlePath) {
  const source = readFileSync(bundlePath, 'utf8');
  const key = createHash('sha256').update(source).update(process.version).update(process.arch).digest('hex').slice(0, 24);
  const cachePath = join(cacheDirectory(), `${key}.bin`);
  const cachedData = readCache(cachePath);
  // A hashbang line is valid only at the very start of a file, not inside the module wrapper.
  const body = source.startsWith('#!') ? `//${source.slice(2)}` : source;
  const script = new Script(Module.wrap(body), { filename: bundlePath, cachedData });
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => writeCache(cachePath, script.createCachedData()));
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
}
