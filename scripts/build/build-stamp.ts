/**
 * Whether dist/ was built from the sources as they are now. `npm install` (its prepare step) and
 * the first `npx durable-crypto-agents <group>` from a checkout both run the build; with an
 * up-to-date dist/ they skip it, so a host's first launch does not wait half a minute for a
 * compile it does not need (and cannot be cut short by the host mid-build).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP_PATH = join('dist', '.build-stamp');
/** Everything the build reads: the compiled folders, the build's own configuration, the locked dependencies. */
const SOURCE_DIRS = ['servers', 'worker', 'agents', 'schemas', 'domain', 'temporal', 'runtime', 'scripts'];
const SOURCE_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|js|json)$/.test(f) && !f.split(/[\\/]/).includes('node_modules'))
    .map((f) => join(dir, f))
    .sort();
}

/** A digest of every input's path and content (mtimes change on checkout and say nothing). */
export function sourceFingerprint(): string {
  const hash = createHash('sha256');
  for (const path of [...SOURCE_FILES.filter((f) => existsSync(f)), ...SOURCE_DIRS.flatMap(filesUnder)]) {
    hash.update(path).update('\0').update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex');
}

export function buildIsCurrent(fingerprint: string): boolean {
  return existsSync(STAMP_PATH) && readFileSync(STAMP_PATH, 'utf8').trim() === fingerprint;
}

export function recordBuild(fingerprint: string): void {
  writeFileSync(STAMP_PATH, `${fingerprint}\n`);
}
