/**
 * The moves of a hostile client, as fast-check arbitraries, and how each is played against the
 * stack. A step names its ids by how it relates to earlier ones (fresh, a checked intent's id, a
 * submitted intent's id, an earlier order id, an id shaped like another caller's key), so a random
 * sequence replays approvals, reuses intent ids and collides key spaces as often as it does anything
 * else. Sizes include dust, leading zeros and signs; accounts include look-alikes nobody configured.
 */
import fc from 'fast-check';
import type { TradingState } from '../../../schemas/temporal/risk.js';
import { decisionCodes, rejectionCodes } from './answers.js';
import { GUESSED_CODES, fillEveryField } from './self-answering-host.js';
import type { HostileClient, LegArgs, OrderArgs } from './hostile-client.js';
import { limitBuyCrossingSoon } from './crossing-limit.js';
import { qtyWorth, sleep, uniqueId } from './session.js';

const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'] as const;
/** Not on the allowlist: every order of it must be refused. */
const FOREIGN_SYMBOL = 'DOGE/USDT';
const PRICE_DECIMALS: Record<string, number> = { 'BTC/USDT': 2, 'ETH/USDT': 2, 'SOL/USDT': 3, [FOREIGN_SYMBOL]: 5 };
/** Resting orders die on their own soon after a sequence ends. */
const RESTING_LIFETIME_SEC = 60;

type IdChoice = 'fresh' | 'checked' | 'submitted' | 'earlier-order' | 'key-shaped';
type Size = { usdt: number } | { quote: string } | { odd: string };
type OrderKind = 'market' | 'limit-resting' | 'limit-crossing' | 'limit-beyond-collar';

interface Leg {
  symbol: string;
  side: 'buy' | 'sell';
  size: Size;
}

export type Step =
  | { kind: 'check'; intent: IdChoice; legs: Leg[] }
  | { kind: 'order'; id: IdChoice; withIntent: boolean; order: OrderKind; leg: Leg }
  | { kind: 'intent'; intent: IdChoice; legs: Leg[]; slippageBps: number | null }
  | { kind: 'cancel'; pick: number }
  | { kind: 'agent-state'; state: TradingState }
  | { kind: 'self-answered-loosening'; state: 'ACTIVE' | 'REDUCING'; guess: number }
  | { kind: 'person-loosening'; state: 'ACTIVE' | 'REDUCING' }
  | { kind: 'operator-state'; state: TradingState }
  | { kind: 'unknown-account'; variant: number; tool: 'place_mock_order' | 'pre_trade_risk_check' | 'submit_intent' | 'set_trading_state' | 'get_portfolio_status' }
  | { kind: 'forbidden-key'; key: '__proto__' | 'constructor' | 'prototype'; tool: 'place_mock_order' | 'pre_trade_risk_check' | 'submit_intent'; where: 'top' | 'leg' }
  | { kind: 'wait'; ms: number };

const idChoice = fc.constantFrom<IdChoice>('fresh', 'fresh', 'checked', 'submitted', 'earlier-order', 'key-shaped');
const size: fc.Arbitrary<Size> = fc.oneof(
  // Mostly sizes the gate can admit (max_order_notional is 1500 in the hostile stack), some past it.
  { weight: 6, arbitrary: fc.constantFrom(50, 300, 300, 800, 800, 1_400, 2_000, 4_000).map((usdt) => ({ usdt })) },
  { weight: 2, arbitrary: fc.constantFrom('100', '900', '1600').map((quote) => ({ quote })) },
  { weight: 1, arbitrary: fc.constantFrom('0.000000000000000001', '00.5', '0.1234567890123456789', '1e-3', '-1', '0', '0.0000001').map((odd) => ({ odd })) },
);
const leg: fc.Arbitrary<Leg> = fc.record({
  symbol: fc.oneof({ weight: 14, arbitrary: fc.constantFrom(...SYMBOLS) }, { weight: 1, arbitrary: fc.constant(FOREIGN_SYMBOL) }),
  // Mostly buys: a sell needs holdings, and buys are what the limits and states must stop.
  side: fc.constantFrom<'buy' | 'sell'>('buy', 'buy', 'buy', 'sell'),
  size,
});
const state = fc.constantFrom<TradingState>('ACTIVE', 'REDUCING', 'HALTED');
const looser = fc.constantFrom<'ACTIVE' | 'REDUCING'>('ACTIVE', 'ACTIVE', 'REDUCING');
/** The operator mostly resumes trading, so sequences do not spend all their steps halted. */
const operatorState = fc.constantFrom<TradingState>('ACTIVE', 'ACTIVE', 'REDUCING', 'HALTED');

export const hostileStep: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('check' as const), intent: idChoice, legs: fc.array(leg, { minLength: 1, maxLength: 2 }) }) },
  // Orders most of all, and mostly market orders: fills are what the limits and states must bound.
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('order' as const), id: idChoice, withIntent: fc.boolean(), order: fc.constantFrom<OrderKind>('market', 'market', 'market', 'limit-resting', 'limit-crossing', 'limit-beyond-collar'), leg }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('intent' as const), intent: idChoice, legs: fc.array(leg, { minLength: 1, maxLength: 2 }), slippageBps: fc.option(fc.constantFrom(5, 50, 1_000), { nil: null }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('agent-state' as const), state }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('self-answered-loosening' as const), state: looser, guess: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('person-loosening' as const), state: looser }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('operator-state' as const), state: operatorState }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unknown-account' as const), variant: fc.nat(), tool: fc.constantFrom('place_mock_order', 'pre_trade_risk_check', 'submit_intent', 'set_trading_state', 'get_portfolio_status') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('forbidden-key' as const), key: fc.constantFrom('__proto__', 'constructor', 'prototype'), tool: fc.constantFrom('place_mock_order', 'pre_trade_risk_check', 'submit_intent'), where: fc.constantFrom('top', 'leg') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 300, max: 3_500 }) }) },
);

/** What one sequence has used so far, so later steps can replay it. */
export class SequenceMemory {
  readonly checked: string[] = [];
  readonly submitted: string[] = [];
  readonly orders: string[] = [];

  constructor(readonly account: string) {}
}

const pick = <T>(items: readonly T[], n: number): T | undefined => (items.length ? items[n % items.length] : undefined);

function intentIdFor(choice: IdChoice, memory: SequenceMemory, n: number): string {
  const reused =
    choice === 'checked' ? pick(memory.checked, n) : choice === 'submitted' ? pick(memory.submitted, n) : choice === 'earlier-order' ? pick(memory.orders, n) : choice === 'key-shaped' ? `order:${pick(memory.orders, n) ?? uniqueId('ks')}` : undefined;
  return reused ?? uniqueId('hs');
}

function orderIdFor(choice: IdChoice, memory: SequenceMemory, n: number): { id: string; intent: string | null } {
  if (choice === 'checked' && memory.checked.length) {
    const intent = pick(memory.checked, n) as string;
    return { id: `${intent}.0`, intent };
  }
  if (choice === 'submitted' && memory.submitted.length) {
    const intent = pick(memory.submitted, n) as string;
    return { id: `${intent}.0`, intent };
  }
  if (choice === 'earlier-order' && memory.orders.length) return { id: pick(memory.orders, n) as string, intent: null };
  if (choice === 'key-shaped') return { id: `intent:${pick(memory.checked, n) ?? uniqueId('ks')}`, intent: null };
  return { id: uniqueId('hs'), intent: null };
}

function legArgs(client: HostileClient, l: Leg): LegArgs {
  const base = { symbol: l.symbol, side: l.side };
  if ('usdt' in l.size) {
    const mid = l.symbol === FOREIGN_SYMBOL ? 0.12 : client.stack.quotes.mid(l.symbol);
    return { ...base, qty: l.symbol === FOREIGN_SYMBOL ? String(Math.round(l.size.usdt / mid)) : qtyWorth(client.stack, l.symbol, l.size.usdt) };
  }
  if ('quote' in l.size) return { ...base, quote_notional: l.size.quote };
  return { ...base, qty: l.size.odd };
}

function limitPrice(client: HostileClient, l: Leg, kind: OrderKind): string | undefined {
  if (kind === 'market') return undefined;
  const mid = l.symbol === FOREIGN_SYMBOL ? 0.12 : client.stack.quotes.mid(l.symbol);
  const decimals = PRICE_DECIMALS[l.symbol] ?? 2;
  const buy = l.side === 'buy';
  if (kind === 'limit-crossing' && buy && l.symbol !== FOREIGN_SYMBOL) {
    const crossing = limitBuyCrossingSoon(client.stack.driver.sim, l.symbol, Date.now(), 2, 20);
    if (crossing) return crossing.limit_price;
  }
  // Resting: 150 bps away on the passive side, inside the 200 bps collar. Beyond: 500 bps marketable.
  const bps = kind === 'limit-beyond-collar' ? (buy ? 500 : -500) : buy ? -150 : 150;
  return (mid * (1 + bps / 10_000)).toFixed(decimals);
}

/** Names one keystroke from the sequence's account (or the default one) that no accounts file configures. */
function lookAlike(account: string, n: number): string {
  const variants = [`q${account.slice(1)}`, account.replace(/-/g, '_'), `paper-${account.slice(-4)}`, `papers`];
  return variants[n % variants.length] as string;
}

/** Plays one step; answers a one-line description for the failure report. */
export async function playStep(client: HostileClient, memory: SequenceMemory, step: Step, n: number): Promise<string> {
  const { account } = memory;
  const s = client.stack;
  switch (step.kind) {
    case 'check': {
      const intent = intentIdFor(step.intent, memory, n);
      const outcome = await client.check(account, intent, step.legs.map((l) => legArgs(client, l)));
      if (outcome.ok) memory.checked.push(intent);
      return `check ${intent}: ${outcome.ok ? `${outcome.structured?.decision} ${decisionCodes(outcome).join(',')}` : outcome.error_code}`;
    }
    case 'order': {
      const { id, intent: own } = orderIdFor(step.id, memory, n);
      // A fresh order may still name an approved or submitted intent, hoping to ride its approval.
      const intent = own ?? (step.withIntent ? (pick(memory.checked, n) ?? pick(memory.submitted, n) ?? null) : null);
      const price = limitPrice(client, step.leg, step.order);
      const args: OrderArgs = {
        client_order_id: id,
        account,
        type: step.order === 'market' ? 'market' : 'limit',
        ...legArgs(client, step.leg),
        ...(price ? { limit_price: price, expires_after_sec: RESTING_LIFETIME_SEC } : {}),
        ...(intent && step.withIntent ? { intent_id: intent } : {}),
      };
      const outcome = await client.placeOrder(args);
      if (outcome.ok && !memory.orders.includes(id)) memory.orders.push(id);
      const why = outcome.structured?.status === 'rejected' ? ` ${rejectionCodes(outcome.structured).join(',')}` : '';
      return `${step.order} ${args.side} ${args.qty ?? args.quote_notional} ${args.symbol} as ${id}: ${outcome.ok ? outcome.structured?.status : outcome.error_code}${why}`;
    }
    case 'intent': {
      const intent = intentIdFor(step.intent, memory, n);
      const outcome = await client.submitIntent({ intent_id: intent, account, intents: step.legs.map((l) => legArgs(client, l)), ...(step.slippageBps ? { max_slippage_bps: step.slippageBps } : {}) });
      if (outcome.ok) memory.submitted.push(intent);
      return `submit_intent ${intent}: ${outcome.ok ? `${outcome.structured?.decision} ${decisionCodes(outcome).join(',')}` : outcome.error_code}`;
    }
    case 'cancel': {
      const id = pick(client.journal.ordersOf(account).map((o) => o.client_order_id), step.pick);
      if (!id) return 'cancel: no order yet';
      const outcome = await client.cancel(id);
      return `cancel ${id}: ${outcome.ok ? outcome.structured?.cancelled : outcome.error_code}`;
    }
    case 'agent-state': {
      const outcome = await client.setState(account, step.state, 'hostile sequence: agent asks');
      return `agent set_trading_state ${step.state}: ${outcome.ok ? outcome.structured?.trading_state : outcome.error_code}`;
    }
    case 'self-answered-loosening': {
      s.elicitingRisk.answerWith(fillEveryField({ code: GUESSED_CODES[step.guess % GUESSED_CODES.length] as string, name: 'A Person, Honest' }));
      const outcome = await client.setState(account, step.state, 'hostile sequence: the host answers its own form', 'elicitation');
      return `self-answered loosening to ${step.state}: ${outcome.ok ? outcome.structured?.trading_state : outcome.error_code}`;
    }
    case 'person-loosening': {
      const code = await client.issueCode(account, step.state);
      s.elicitingRisk.answerWith(fillEveryField({ code, name: 'Operator-Approved Person' }));
      const outcome = await client.setState(account, step.state, 'hostile sequence: a person with the operator code', 'elicitation');
      return `person with code loosens to ${step.state}: ${outcome.ok ? outcome.structured?.trading_state : outcome.error_code}`;
    }
    case 'operator-state': {
      await client.operatorSetState(account, step.state, 'hostile sequence: operator');
      return `operator set-state ${step.state}`;
    }
    case 'unknown-account': {
      const other = lookAlike(account, step.variant);
      const legs = [{ symbol: 'BTC/USDT', side: 'buy' as const, qty: qtyWorth(s, 'BTC/USDT', 500) }];
      const byTool = {
        place_mock_order: [s.execution, { client_order_id: uniqueId('alike'), account: other, type: 'market', ...legs[0] }],
        pre_trade_risk_check: [s.risk, { intent_id: uniqueId('alike'), account: other, intents: legs }],
        submit_intent: [s.execution, { intent_id: uniqueId('alike'), account: other, intents: legs }],
        set_trading_state: [s.risk, { state: 'HALTED', reason: 'hostile sequence: a look-alike', account: other }],
        get_portfolio_status: [s.ledger, { account: other }],
      } as const;
      const [server, args] = byTool[step.tool];
      const outcome = await client.onUnknownAccount(server, step.tool, { ...args });
      return `${step.tool} on look-alike ${other}: ${outcome.ok ? 'ok' : outcome.error_code}`;
    }
    case 'forbidden-key': {
      const legs = [{ symbol: 'BTC/USDT', side: 'buy', qty: qtyWorth(s, 'BTC/USDT', 300) }];
      const [server, args] =
        step.tool === 'place_mock_order'
          ? [s.execution, { client_order_id: uniqueId('key'), account, type: 'market', ...legs[0] }]
          : [step.tool === 'submit_intent' ? s.execution : s.risk, { intent_id: uniqueId('key'), account, intents: legs }];
      const outcome = await client.withForbiddenKey(server, step.tool, args, step.key, step.tool === 'place_mock_order' ? 'top' : step.where);
      return `${step.tool} with ${step.key} (${step.where}): ${outcome.ok ? 'ok' : outcome.error_code}`;
    }
    case 'wait':
      await sleep(step.ms);
      return `wait ${step.ms} ms`;
  }
}
