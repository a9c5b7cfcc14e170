/**
 * Red team, accounts: a new account name must not be a fresh ACTIVE gate. The worker here serves
 * exactly the accounts of an accounts file of this file's own (no prefix template), so every
 * look-alike of a halted account (a suffix, a changed separator or first letter) and of the default
 * account is one the operator never configured: each tool naming it must be refused UNKNOWN_ACCOUNT,
 * in the worker, with no ledger or risk workflow left behind for it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConnectedServer } from '../helpers/mcp-servers.js';
import { newParty, qtyWorth, uniqueId, useRedteamStack, type Party } from './harness/session.js';
import type { RedteamStack } from './harness/redteam-stack.js';

const BTC = 'BTC/USDT';
const suffix = crypto.randomUUID().slice(0, 8);
const HALTED_ACCOUNT = `desk-${suffix}`;
const ACTIVE_ACCOUNT = `book-${suffix}`;

const accountsDir = mkdtempSync(join(tmpdir(), 'redteam-accounts-'));
const ACCOUNTS_FILE = join(accountsDir, 'accounts.json');
writeFileSync(ACCOUNTS_FILE, JSON.stringify({ accounts: [{ name: 'paper' }, { name: HALTED_ACCOUNT }, { name: ACTIVE_ACCOUNT }] }));

const stack = useRedteamStack('accounts', { ACCOUNTS_FILE });

/** Names one keystroke away from a configured one. */
function lookAlikes(account: string): string[] {
  const swapped = `${account.startsWith('q') ? 'x' : 'q'}${account.slice(1)}`;
  return [`${account}-b`, `${account}b`, account.replace(/-/g, '_'), swapped];
}

/** Every kind of call an agent can make on an account, each on the given name. */
async function tryEverything(p: Party, s: RedteamStack, account: string): Promise<void> {
  const calls: Array<[ConnectedServer, string, Record<string, unknown> & { account: string }]> = [
    [s.execution, 'place_mock_order', { client_order_id: uniqueId('alike'), account, symbol: BTC, side: 'buy', type: 'market', qty: qtyWorth(s, BTC, 2_000) }],
    [s.execution, 'submit_intent', { intent_id: uniqueId('alike'), account, intents: [{ symbol: BTC, side: 'buy', qty: qtyWorth(s, BTC, 2_000) }] }],
    [s.risk, 'pre_trade_risk_check', { intent_id: uniqueId('alike'), account, intents: [{ symbol: BTC, side: 'buy', qty: qtyWorth(s, BTC, 2_000) }] }],
    [s.risk, 'set_trading_state', { state: 'HALTED', reason: 'red team: a look-alike', account }],
    [s.risk, 'get_risk_limits', { account }],
    [s.ledger, 'get_portfolio_status', { account }],
    [s.ledger, 'get_fills', { account }],
  ];
  for (const [server, tool, args] of calls) await p.client.onUnknownAccount(server, tool, args);
}

describe('red team: only configured accounts trade', () => {
  it('look-alikes of a HALTED account are refused UNKNOWN_ACCOUNT, not served as fresh ACTIVE gates', async () => {
    const p = await newParty(stack(), 'accounts', HALTED_ACCOUNT);
    const halted = await p.client.setState(p.account, 'HALTED', 'red team: halt, then try a new name');
    expect(halted.structured?.trading_state, halted.text).toBe('HALTED');
    for (const name of lookAlikes(p.account)) await tryEverything(p, stack(), name);
    const answered = p.journal.unknownAccountCalls.map((c) => `${c.tool}@${c.account}: ${c.outcome.error_code ?? 'ok'}`);
    expect(answered.filter((a) => !a.endsWith(': UNKNOWN_ACCOUNT'))).toEqual([]);
    await p.expectInvariants();
    expect(p.checker.last?.fills?.fills).toEqual([]);
  });

  it('look-alikes of the default account and unheard-of names are refused while a configured account trades', async () => {
    const p = await newParty(stack(), 'accounts', ACTIVE_ACCOUNT);
    const placed = await p.client.placeOrder({ client_order_id: uniqueId('book'), account: p.account, symbol: BTC, side: 'buy', type: 'market', qty: qtyWorth(stack(), BTC, 1_000) });
    expect(placed.structured, placed.text).toMatchObject({ status: 'filled' });
    for (const name of ['paper-b', 'papers', 'paper_', `rogue-${suffix}`]) await tryEverything(p, stack(), name);
    const answered = p.journal.unknownAccountCalls.map((c) => `${c.tool}@${c.account}: ${c.outcome.error_code ?? 'ok'}`);
    expect(answered.filter((a) => !a.endsWith(': UNKNOWN_ACCOUNT'))).toEqual([]);
    const refusal = p.journal.unknownAccountCalls.find((c) => c.tool === 'place_mock_order')?.outcome.text ?? '';
    expect(refusal, 'the refusal says how the operator adds an account').toMatch(/accounts\.json|ACCOUNTS_FILE/);
    await p.expectInvariants();
  });
});
