/**
 * The accounts every test worker serves (tests/fixtures/accounts.json): paper, and every name
 * starting with t-, which is how tests name the accounts they create (uniqueAccount in
 * risk-driver.ts and ledger-driver.ts). Production keeps its own accounts.json untouched.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEST_ACCOUNTS_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'accounts.json');

/** The prefix the test accounts file configures for every account a test creates. */
export const TEST_ACCOUNT_PREFIX = 't-';
