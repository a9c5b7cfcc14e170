/**
 * The prebuilt workflow bundle: built once (npm install runs the build) so the worker starts in
 * well under a second instead of bundling on every start. A stale bundle is rebuilt.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Works both from source (worker/) and from the compiled copy (dist/worker/). */
const root = existsSync(join(repoRoot, 'package.json')) ? repoRoot : resolve(repoRoot, '..');

export const DEFAULT_BUNDLE_PATH = join(root, 'dist', 'workflow-bundle.js');
const WORKFLOW_SOURCES = [join(root, 'worker', 'workflows'), join(root, 'schemas', 'temporal')];

function newestSourceMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function bundleIsFresh(bundlePath: string = DEFAULT_BUNDLE_PATH): boolean {
  if (!existsSync(bundlePath)) return false;
  const sourcesPresent = WORKFLOW_SOURCES.some((d) => existsSync(d) && readdirSync(d).some((f) => f.endsWith('.ts')));
  // A packed install ships only the bundle; it is fresh by definition.
  if (!sourcesPresent) return true;
  const built = statSync(bundlePath).mtimeMs;
  return WORKFLOW_SOURCES.every((d) => newestSourceMtime(d) <= built);
}

export async function buildWorkflowBundle(bundlePath: string = DEFAULT_BUNDLE_PATH): Promise<string> {
  // Imported lazily: webpack is heavy and only needed when a bundle is (re)built.
  const { bundleWorkflowCode } = await import('@temporalio/worker');
  const { code } = await bundleWorkflowCode({
    workflowsPath: join(root, 'worker', 'workflows', 'index.ts'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: (m: string) => console.error(m), error: (m: string) => console.error(m) } as never,
  });
  mkdirSync(dirname(bundlePath), { recursive: true });
  // Write then rename: a worker starting at the same moment never reads half a bundle.
  const partial = `${bundlePath}.${process.pid}.partial`;
  writeFileSync(partial, code);
  renameSync(partial, bundlePath);
  return bundlePath;
}

export async function ensureWorkflowBundle(bundlePath: string = DEFAULT_BUNDLE_PATH): Promise<string> {
  if (bundleIsFresh(bundlePath)) return bundlePath;
  return buildWorkflowBundle(bundlePath);
}
