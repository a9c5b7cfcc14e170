/**
 * The accounts the worker serves, read once at start-up from accounts.json at the repository root
 * or the file ACCOUNTS_FILE names (the rules are in accounts-file.ts). Only the operator changes
 * them: edit the file and restart the worker. A file that is missing or malformed stops the worker
 * with a message naming the file, the entry and what to write.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AccountsConfigError, parseAccountsFile, type AccountDefaults, type AccountsConfig } from './accounts-file.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Works from source (worker/config/) and from the compiled copy (dist/worker/config/). */
const repoRoot = existsSync(resolve(here, '..', '..', 'package.json')) ? resolve(here, '..', '..') : resolve(here, '..', '..', '..');
export const DEFAULT_ACCOUNTS_FILE = join(repoRoot, 'accounts.json');

export function accountsConfigFromEnv(env: NodeJS.ProcessEnv, defaults: AccountDefaults): AccountsConfig {
  const explicit = env.ACCOUNTS_FILE?.trim();
  const file = explicit ? resolve(explicit) : DEFAULT_ACCOUNTS_FILE;
  if (!existsSync(file)) {
    throw new AccountsConfigError(
      explicit
        ? `ACCOUNTS_FILE=${explicit} does not exist; point it at a JSON file of accounts (see accounts.json at the repository root)`
        : `the accounts file ${file} does not exist; create it with {"accounts": [{"name": "paper"}]} or set ACCOUNTS_FILE to another file`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new AccountsConfigError(
      `the accounts file ${file} cannot be read as JSON (${err instanceof Error ? err.message : String(err)}); it holds {"accounts": [{"name": "paper"}, ...]}`,
    );
  }
  return parseAccountsFile(parsed, file, defaults);
}
