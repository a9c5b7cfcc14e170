/**
 * What an accounts file says, checked: pure functions over the parsed JSON, so every rule is unit
 * tested without a file (tests/unit/accounts-config.test.ts). Reading the file and the environment
 * is accounts-config.ts.
 *
 * The file is one object: `{"$comment": "...", "accounts": [entry, ...]}`. An entry configures one
 * account by `name`, or every account whose name starts with `prefix` (a template for operators
 * who allocate many sub-accounts). Either may give `initial_cash` (a decimal string; INITIAL_CASH
 * otherwise) and `limits`, overrides of risk-limits.json keys applied on top of the global limits.
 * An exact name wins over a prefix; prefixes may not overlap, so no name matches two templates.
 */
import { Decimal } from 'decimal.js';
import { isPlainDecimal } from '../../schemas/primitives/decimal.js';
import { SHORT_NAME, isShortName } from '../../schemas/primitives/short-name.js';
import type { RiskLimits } from '../../schemas/temporal/risk.js';
import { DEFAULT_RISK_LIMITS, checkRiskLimits } from './risk-config.js';

export class AccountsConfigError extends Error {}

/** One configured account, or template of accounts, with everything resolved. */
export interface AccountEntry {
  /** Exactly one of name and prefix. */
  name: string | null;
  prefix: string | null;
  /** Cash a new ledger of the account starts with, canonical decimal string. */
  initialCash: string;
  /** The account's limits: the global ones with its overrides on top. */
  limits: RiskLimits;
  /** The limit names this entry overrides, for the record. */
  overriddenLimits: string[];
}

export interface AccountsConfig {
  /** The file the entries came from. */
  file: string;
  named: ReadonlyMap<string, AccountEntry>;
  prefixes: readonly AccountEntry[];
}

/** An account as the worker serves it. */
export interface ConfiguredAccount {
  account: string;
  entry: AccountEntry;
}

/** What the entries are checked against: the global settings they default to and override. */
export interface AccountDefaults {
  /** INITIAL_CASH, already checked. */
  initialCash: string;
  /** The global limits (built-in defaults, risk-limits.json, RISK_* variables). */
  limits: RiskLimits;
}

const ENTRY_KEYS = ['$comment', 'name', 'prefix', 'initial_cash', 'limits'];
/** A prefix is the start of a name: the name pattern, one character shorter so a name can follow. */
const PREFIX = /^[a-z0-9][a-z0-9_-]{0,62}$/;

const EXAMPLE_FILE = '{"accounts": [{"name": "paper"}, {"name": "desk-main", "initial_cash": "250000"}, {"prefix": "desk-", "initial_cash": "50000", "limits": {"max_order_notional": "5000"}}]}';

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function entryLabel(index: number, raw: unknown): string {
  const which = isObject(raw) && typeof raw.name === 'string' ? ` ("name": ${JSON.stringify(raw.name)})` : isObject(raw) && typeof raw.prefix === 'string' ? ` ("prefix": ${JSON.stringify(raw.prefix)})` : '';
  return `entry ${index + 1}${which}`;
}

function parseEntry(raw: unknown, index: number, defaults: AccountDefaults, fail: (where: string, what: string) => never): AccountEntry {
  const label = entryLabel(index, raw);
  if (!isObject(raw)) fail(`entry ${index + 1}`, 'must be an object such as {"name": "desk-main"} or {"prefix": "desk-"}');
  const unknownKeys = Object.keys(raw).filter((k) => !ENTRY_KEYS.includes(k));
  if (unknownKeys.length) fail(label, `has unknown key(s) ${unknownKeys.join(', ')}; an entry takes "name" or "prefix", and optionally "initial_cash", "limits" and "$comment"`);

  const hasName = raw.name !== undefined;
  const hasPrefix = raw.prefix !== undefined;
  if (hasName === hasPrefix) {
    fail(label, hasName ? 'has both "name" and "prefix"; write two entries, one for the account and one for the template' : 'needs "name" (one account) or "prefix" (every account whose name starts with it)');
  }
  if (hasName && !isShortName(raw.name)) {
    fail(label, `"name": ${JSON.stringify(raw.name)} is not an account name; write 1-64 lowercase letters, digits, "-" or "_", starting with a letter or digit, e.g. "desk-main"`);
  }
  if (hasPrefix && !(typeof raw.prefix === 'string' && PREFIX.test(raw.prefix))) {
    fail(label, `"prefix": ${JSON.stringify(raw.prefix)} is not the start of an account name; write 1-63 lowercase letters, digits, "-" or "_", starting with a letter or digit, e.g. "desk-"`);
  }

  let initialCash = defaults.initialCash;
  if (raw.initial_cash !== undefined) {
    if (!isPlainDecimal(raw.initial_cash)) {
      fail(label, `"initial_cash": ${JSON.stringify(raw.initial_cash)} must be a non-negative decimal string written plainly, e.g. "initial_cash": "50000" (leave it out for INITIAL_CASH)`);
    }
    initialCash = new Decimal(raw.initial_cash).toFixed();
  }

  let overrides: Record<string, unknown> = {};
  if (raw.limits !== undefined) {
    if (!isObject(raw.limits)) fail(label, '"limits" must be an object of risk limits, e.g. "limits": {"max_order_notional": "5000"}');
    const { $comment: _comment, ...given } = raw.limits;
    const unknownLimits = Object.keys(given).filter((k) => !(k in DEFAULT_RISK_LIMITS));
    if (unknownLimits.length) fail(label, `"limits" has unknown limit(s) ${unknownLimits.join(', ')}; known: ${Object.keys(DEFAULT_RISK_LIMITS).join(', ')}`);
    overrides = given;
  }
  const checked = checkRiskLimits({ ...defaults.limits, ...overrides });
  if (!checked.ok) fail(label, `"limits" are invalid on top of the global limits: ${checked.problems}`);

  return {
    name: hasName ? (raw.name as string) : null,
    prefix: hasPrefix ? (raw.prefix as string) : null,
    initialCash,
    limits: checked.limits,
    overriddenLimits: Object.keys(overrides),
  };
}

/**
 * Checks a parsed accounts file. Every error names the file, the entry and what to write instead.
 */
export function parseAccountsFile(parsed: unknown, file: string, defaults: AccountDefaults): AccountsConfig {
  const fail = (where: string, what: string): never => {
    throw new AccountsConfigError(`the accounts file ${file}: ${where} ${what}`);
  };
  if (!isObject(parsed)) fail('the file', `must hold one JSON object listing the accounts, e.g. ${EXAMPLE_FILE}`);
  const parsedFile = parsed as Record<string, unknown>;
  const unknownKeys = Object.keys(parsedFile).filter((k) => k !== '$comment' && k !== 'accounts');
  if (unknownKeys.length) fail('the file', `has unknown key(s) ${unknownKeys.join(', ')}; it takes "accounts" (and "$comment"), e.g. ${EXAMPLE_FILE}`);
  const list = parsedFile.accounts;
  if (!Array.isArray(list) || list.length === 0) {
    fail('"accounts"', `must be a list of at least one entry, e.g. ${EXAMPLE_FILE}`);
  }

  const named = new Map<string, AccountEntry & { index: number }>();
  const prefixes: Array<AccountEntry & { index: number }> = [];
  (list as unknown[]).forEach((raw, index) => {
    const entry = { ...parseEntry(raw, index, defaults, fail), index };
    const label = entryLabel(index, raw);
    if (entry.name !== null) {
      const earlier = named.get(entry.name);
      if (earlier) fail(label, `configures account ${entry.name} again (entry ${earlier.index + 1} already does); give each account one entry`);
      named.set(entry.name, entry);
      return;
    }
    const prefix = entry.prefix as string;
    const overlapping = prefixes.find((p) => prefix.startsWith(p.prefix as string) || (p.prefix as string).startsWith(prefix));
    if (overlapping) {
      fail(
        label,
        `overlaps "prefix": ${JSON.stringify(overlapping.prefix)} of entry ${overlapping.index + 1}, so one account name could match both templates; ` +
          'use prefixes that do not start with one another (e.g. "desk-a-" and "desk-b-"), or configure the account by "name"',
      );
    }
    prefixes.push(entry);
  });
  const strip = ({ index: _index, ...entry }: AccountEntry & { index: number }): AccountEntry => entry;
  return { file, named: new Map([...named].map(([name, e]) => [name, strip(e)])), prefixes: prefixes.map(strip) };
}

/** The configuration of an account: its own entry, else the template its name starts with; undefined when none. */
export function configuredAccount(config: AccountsConfig, account: string): ConfiguredAccount | undefined {
  if (!SHORT_NAME.test(account)) return undefined;
  const entry = config.named.get(account) ?? config.prefixes.find((p) => account.startsWith(p.prefix as string));
  return entry ? { account, entry } : undefined;
}
