import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whether running from source (scripts/) or compiled (dist/scripts/). */
const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = here.includes(`${join('dist', 'scripts')}`) ? resolve(here, '..', '..', '..') : resolve(here, '..', '..');
export const dataDir = join(repoRoot, '.data');
