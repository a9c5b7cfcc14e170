/**
 * Red team, elicitation: a host that declares elicitation and answers the form itself is not a
 * person. It ticks the box, makes up a name and guesses the code; none of that may loosen HALTED or
 * REDUCING. Only a code the operator's side issued (temporal/clients/risk.ts, what
 * `risk:operator -- loosen-code` calls) loosens, and only for its account and state, once; guessing
 * is locked out.
 */
import { describe, expect, it } from 'vitest';
import type { TradingState } from '../../schemas/temporal/risk.js';
import { uniqueAccount } from '../helpers/risk-driver.js';
import { decisionCodes } from './harness/answers.js';
import { GUESSED_CODES, fillEveryField } from './harness/self-answering-host.js';
import { newParty, qtyWorth, uniqueId, useRedteamStack, type Party } from './harness/session.js';

const BTC = 'BTC/USDT';
const stack = useRedteamStack('elicitation');

const HOST_NAME = 'Dana (risk desk)';

async function loosenAs(p: Party, state: TradingState, code: string) {
  stack().elicitingRisk.answerWith(fillEveryField({ code, name: HOST_NAME }));
  return p.client.setState(p.account, state, 'red team: the host says a person agreed', 'elicitation');
}

async function tradingState(p: Party): Promise<unknown> {
  return (await p.client.call(stack().risk, 'get_risk_limits', { account: p.account })).structured?.trading_state;
}

describe('red team: a host answering its own form is not a person', () => {
  it('guessed codes loosen neither HALTED nor REDUCING, and nothing trades', async () => {
    const p = await newParty(stack(), 'rt-elicit');
    expect((await p.client.setState(p.account, 'HALTED', 'red team: halt')).structured?.trading_state).toBe('HALTED');
    // Four guesses, below the lock-out, so each is judged as a guess.
    for (const code of GUESSED_CODES.slice(0, 4)) {
      const target: TradingState = code.length % 2 === 0 ? 'ACTIVE' : 'REDUCING';
      const answer = await loosenAs(p, target, code);
      expect(answer.ok, `a self-answered form with code "${code}" loosened to ${target}: ${answer.text}`).toBe(false);
    }
    expect(stack().elicitingRisk.asked.length, 'the host was asked at least once').toBeGreaterThan(0);
    expect(await tradingState(p)).toBe('HALTED');
    const intent = await p.client.submitIntent({ intent_id: uniqueId('after-guess'), account: p.account, intents: [{ symbol: BTC, side: 'buy', qty: qtyWorth(stack(), BTC, 1_000) }] });
    expect(decisionCodes(intent)).toContain('TRADING_HALTED');
    await p.expectInvariants();
  });

  it("an operator's code loosens only its own account and state, and only once", async () => {
    const p = await newParty(stack(), 'rt-elicit-code');
    expect((await p.client.setState(p.account, 'HALTED', 'red team: halt')).structured?.trading_state).toBe('HALTED');

    const forAnotherAccount = await p.client.issueCode(uniqueAccount('rt-elicit-other'), 'REDUCING');
    expect((await loosenAs(p, 'REDUCING', forAnotherAccount)).ok, "another account's code").toBe(false);
    const forAnotherState = await p.client.issueCode(p.account, 'ACTIVE');
    expect((await loosenAs(p, 'REDUCING', forAnotherState)).ok, 'a code for ACTIVE used for REDUCING').toBe(false);
    expect(await tradingState(p)).toBe('HALTED');

    const real = await p.client.issueCode(p.account, 'REDUCING');
    const loosened = await loosenAs(p, 'REDUCING', real);
    expect(loosened.structured, loosened.text).toMatchObject({ trading_state: 'REDUCING', via: 'mcp_elicitation', confirmed_by: HOST_NAME });

    expect((await p.client.setState(p.account, 'HALTED', 'red team: halt again')).structured?.trading_state).toBe('HALTED');
    expect((await loosenAs(p, 'REDUCING', real)).ok, 'the same code a second time').toBe(false);
    expect(await tradingState(p)).toBe('HALTED');
    await p.expectInvariants();
  });

  it('after a run of wrong codes even the right one is refused until the operator issues a new one', async () => {
    const p = await newParty(stack(), 'rt-elicit-lock');
    expect((await p.client.setState(p.account, 'HALTED', 'red team: halt')).structured?.trading_state).toBe('HALTED');
    const real = await p.client.issueCode(p.account, 'ACTIVE');
    // Well-formed guesses (10 characters of the code alphabet), so each counts as an attempt.
    for (const digit of '234567') await loosenAs(p, 'ACTIVE', `GUESS${digit}XXXX`);
    const afterGuessing = await loosenAs(p, 'ACTIVE', real);
    expect(afterGuessing.ok, afterGuessing.text).toBe(false);
    expect(afterGuessing.error_code).toBe('LOOSENING_CODE_LOCKED');
    expect(await tradingState(p)).toBe('HALTED');
    await p.expectInvariants();
  });
});
