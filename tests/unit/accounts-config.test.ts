/**
 * The accounts file (worker/config/accounts-file.ts, accounts-config.ts): what an entry configures,
 * how a name finds its entry, and that every malformed file is refused with a message naming the
 * file, the entry and what to write instead.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNTS_FILE, accountsConfigFromEnv } from '../../worker/config/accounts-config.js';
import { configuredAccount, parseAccountsFile, type AccountDefaults } from '../../worker/config/accounts-file.js';
import { DEFAULT_RISK_LIMITS } from '../../worker/config/risk-config.js';
import { workerConfigFromEnv } from '../../worker/config/worker-config.js';

const FILE = '/etc/stack/accounts.json';
const defaults: AccountDefaults = { initialCash: '100000', limits: DEFAULT_RISK_LIMITS };
const parse = (parsed: unknown) => parseAccountsFile(parsed, FILE, defaults);
const parseError = (parsed: unknown): string => {
  try {
    parse(parsed);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`${JSON.stringify(parsed)} was accepted`);
};

describe('accounts file: what it configures', () => {
  const config = parse({
    $comment: 'ours',
    accounts: [
      { name: 'paper' },
      { name: 'desk-main', initial_cash: '250000.50', limits: { max_order_notional: '5000', allowed_symbols: ['BTC/USDT'] } },
      { prefix: 'desk-', initial_cash: '050000', limits: { $comment: 'sub-accounts trade small', max_gross_exposure: '20000' } },
      { prefix: 'lab_', $comment: 'research' },
    ],
  });

  it('gives an exact name its own cash and limits on top of the global ones', () => {
    const { entry } = configuredAccount(config, 'desk-main')!;
    expect(entry).toMatchObject({ name: 'desk-main', prefix: null, initialCash: '250000.5', overriddenLimits: ['max_order_notional', 'allowed_symbols'] });
    expect(entry.limits).toEqual({ ...DEFAULT_RISK_LIMITS, max_order_notional: '5000', allowed_symbols: ['BTC/USDT'] });
  });

  it('configures every name that starts with a prefix by that template; an exact name wins', () => {
    const sub = configuredAccount(config, 'desk-17')!;
    expect(sub.account).toBe('desk-17');
    expect(sub.entry).toMatchObject({ prefix: 'desk-', initialCash: '50000', overriddenLimits: ['max_gross_exposure'] });
    expect(sub.entry.limits.max_gross_exposure).toBe('20000');
    expect(sub.entry.limits.max_order_notional).toBe(DEFAULT_RISK_LIMITS.max_order_notional);
    expect(configuredAccount(config, 'desk-main')!.entry.name).toBe('desk-main');
    expect(configuredAccount(config, 'lab_x')!.entry).toMatchObject({ prefix: 'lab_', initialCash: '100000', limits: DEFAULT_RISK_LIMITS });
  });

  it('defaults an entry without initial_cash to INITIAL_CASH', () => {
    expect(configuredAccount(config, 'paper')!.entry.initialCash).toBe('100000');
  });

  it('knows no other name: not a near miss, not the bare prefix, not an invalid name', () => {
    for (const name of ['paper-b', 'desk', 'Desk-1', 'lab', 'desk-main ', '']) expect(configuredAccount(config, name), name).toBeUndefined();
  });
});

describe('accounts file: refused with what to write instead', () => {
  it.each([
    ['not an object', [{ name: 'paper' }], /^the accounts file \/etc\/stack\/accounts\.json: the file must hold one JSON object listing the accounts, e\.g\. \{"accounts"/],
    ['an unknown top-level key', { accounts: [{ name: 'paper' }], acounts: [] }, /the file has unknown key\(s\) acounts; it takes "accounts"/],
    ['no accounts key', {}, /"accounts" must be a list of at least one entry, e\.g\./],
    ['an empty list', { accounts: [] }, /"accounts" must be a list of at least one entry/],
    ['an entry that is not an object', { accounts: ['paper'] }, /entry 1 must be an object such as \{"name": "desk-main"\} or \{"prefix": "desk-"\}/],
    ['an entry with neither name nor prefix', { accounts: [{ initial_cash: '5' }] }, /entry 1 needs "name" \(one account\) or "prefix"/],
    ['an entry with both', { accounts: [{ name: 'a', prefix: 'a-' }] }, /entry 1 \("name": "a"\) has both "name" and "prefix"; write two entries/],
    ['an unknown entry key', { accounts: [{ name: 'paper' }, { name: 'desk', cash: '5' }] }, /entry 2 \("name": "desk"\) has unknown key\(s\) cash; an entry takes "name" or "prefix"/],
    ['an invalid name', { accounts: [{ name: 'Desk 1' }] }, /entry 1 \("name": "Desk 1"\) "name": "Desk 1" is not an account name; write 1-64 lowercase letters/],
    ['a name that is not a string', { accounts: [{ name: 7 }] }, /entry 1 "name": 7 is not an account name/],
    ['an invalid prefix', { accounts: [{ prefix: '-desk' }] }, /entry 1 \("prefix": "-desk"\) "prefix": "-desk" is not the start of an account name; write 1-63/],
    ['cash as a number', { accounts: [{ name: 'paper', initial_cash: 50000 }] }, /entry 1 \("name": "paper"\) "initial_cash": 50000 must be a non-negative decimal string written plainly, e\.g\. "initial_cash": "50000"/],
    ['negative cash', { accounts: [{ name: 'paper', initial_cash: '-1' }] }, /"initial_cash": "-1" must be a non-negative decimal string/],
    ['exponent cash', { accounts: [{ name: 'paper', initial_cash: '1e6' }] }, /"initial_cash": "1e6" must be/],
    ['limits that are not an object', { accounts: [{ name: 'paper', limits: ['max_order_notional'] }] }, /"limits" must be an object of risk limits, e\.g\. "limits": \{"max_order_notional": "5000"\}/],
    ['an unknown limit', { accounts: [{ name: 'paper', limits: { max_order: '5' } }] }, /entry 1 \("name": "paper"\) "limits" has unknown limit\(s\) max_order; known: allowed_symbols, /],
    ['an invalid limit value', { accounts: [{ name: 'paper' }, { prefix: 'd-', limits: { max_order_notional: 5000 } }] }, /entry 2 \("prefix": "d-"\) "limits" are invalid on top of the global limits: max_order_notional: /],
    ['limits that break a rule across limits', { accounts: [{ name: 'paper', limits: { var_min_observations: 800 } }] }, /var_min_observations must not exceed var_window_returns/],
    ['the same name twice', { accounts: [{ name: 'paper' }, { name: 'desk' }, { name: 'paper' }] }, /entry 3 \("name": "paper"\) configures account paper again \(entry 1 already does\); give each account one entry/],
    ['overlapping prefixes', { accounts: [{ prefix: 'desk-' }, { prefix: 'desk-a' }] }, /entry 2 \("prefix": "desk-a"\) overlaps "prefix": "desk-" of entry 1, so one account name could match both templates/],
    ['the same prefix twice', { accounts: [{ prefix: 'desk-' }, { prefix: 'desk-' }] }, /entry 2 \("prefix": "desk-"\) overlaps/],
  ])('%s', (_what, parsed, message) => {
    expect(parseError(parsed)).toMatch(message);
  });
});

describe('accounts file: read by the worker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'accounts-'));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('ships accounts.json at the repository root with the paper account alone, at INITIAL_CASH', () => {
    const config = accountsConfigFromEnv({}, defaults);
    expect(config.file).toBe(DEFAULT_ACCOUNTS_FILE);
    expect([...config.named.keys()]).toEqual(['paper']);
    expect(config.prefixes).toEqual([]);
    expect(configuredAccount(config, 'paper')!.entry).toMatchObject({ initialCash: '100000', limits: DEFAULT_RISK_LIMITS });
  });

  it('reads the file ACCOUNTS_FILE names, over the worker configuration it defaults to', () => {
    const file = write('desks.json', JSON.stringify({ accounts: [{ prefix: 'desk-' }] }));
    const config = workerConfigFromEnv({ ACCOUNTS_FILE: file, INITIAL_CASH: '2500', RISK_MAX_ORDER_NOTIONAL: '700' });
    expect(config.accounts.file).toBe(file);
    expect(configuredAccount(config.accounts, 'desk-1')!.entry).toMatchObject({ initialCash: '2500', limits: { max_order_notional: '700' } });
    expect(configuredAccount(config.accounts, 'paper')).toBeUndefined();
  });

  it('stops the worker on a missing or malformed file, naming it', () => {
    expect(() => workerConfigFromEnv({ ACCOUNTS_FILE: join(dir, 'nope.json') })).toThrow(/^ACCOUNTS_FILE=.*nope\.json does not exist; point it at a JSON file of accounts/);
    const broken = write('broken.json', '{"accounts": [{"name": "paper"},]}');
    expect(() => workerConfigFromEnv({ ACCOUNTS_FILE: broken })).toThrow(new RegExp(`^the accounts file ${broken} cannot be read as JSON`));
    const bad = write('bad.json', JSON.stringify({ accounts: [{ name: 'paper', initial_cash: 'lots' }] }));
    expect(() => workerConfigFromEnv({ ACCOUNTS_FILE: bad })).toThrow(new RegExp(`^the accounts file ${bad}: entry 1 \\("name": "paper"\\) "initial_cash": "lots"`));
  });
});
