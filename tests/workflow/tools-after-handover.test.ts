/**
 * Every tool keeps reaching its long-lived workflow after that workflow has continued as new, again
 * and again. The worker runs with each hand-over threshold shrunk to a few events, so streams, tick
 * stores, inboxes, conversations, agent states, ledgers, risk workflows and the intent bus each
 * hand over at least three times here; after every hand-over the tools that reach that workflow
 * are called through the real spawned MCP servers, and each answer is checked for what it says
 * (the symbols and quotes, the messages, the fills and positions, the decision) and for the run it
 * names, which must be the current one of the same chain, never the first. A tool that sent its
 * update through the handle a USE_EXISTING start returns would fail here from the first hand-over
 * on: that handle takes the run that answered the start for the first of its chain.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getAgentStatus, nextPrompt, promptAgent, selectPairs } from '../../schemas/agents.js';
import { getConversation, saveConversationTurn } from '../../schemas/agents-conversation.js';
import { submitIntent, subscribeIntents } from '../../schemas/execution-intents.js';
import { getOrderStatus } from '../../schemas/execution-orders.js';
import { getFills, getPortfolioStatus } from '../../schemas/ledger.js';
import { getHistoricalTicks, getMarketSnapshot, startMarketStream, stopMarketStream, subscribeCexStream } from '../../schemas/market.js';
import { getRiskLimits, preTradeRiskCheck, setTradingState } from '../../schemas/risk.js';
import { inboxWorkflowId } from '../../schemas/temporal/agents.js';
import { conversationWorkflowId } from '../../schemas/temporal/conversation.js';
import { agentStateWorkflowId, nudgeScheduleId } from '../../schemas/temporal/ensemble.js';
import { intentBusWorkflowId } from '../../schemas/temporal/intents.js';
import { ledgerWorkflowId } from '../../schemas/temporal/ledger.js';
import { marketStreamWorkflowId, tickStoreWorkflowId } from '../../schemas/temporal/market.js';
import { riskWorkflowId } from '../../schemas/temporal/risk.js';
import { readStreamStatus } from '../../temporal/clients/market-stream.js';
import { SimVenue } from '../../worker/activities/market/venues/sim/sim-venue.js';
import { eventually } from '../helpers/eventually.js';
import { uniqueAgent } from '../helpers/inbox-driver.js';
import { connectServer, type ConnectedServer } from '../helpers/mcp-servers.js';
import { RiskDriver, uniqueAccount } from '../helpers/risk-driver.js';
import { orderMechanicsRiskEnv, riskExchangeId, seedQuotes } from '../helpers/risk-ready-market.js';
import { currentRun, expectCurrentRunOf, nextRun, runChain, type RunChain } from '../helpers/run-chain.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';
import { toolCaller } from '../helpers/tool-calls.js';
import { TINY_THRESHOLDS } from '../../scripts/soak/thresholds.js';

/** Hand-overs each workflow goes through, each followed by calls to its tools. */
const HAND_OVERS = 3;
const HAND_OVER_TIMEOUT_MS = 240_000;
/**
 * How soon an approved intent's order must exist after the bus has handed over. A subscriber the
 * bus forgot to wake would find it only at its 60 s safety poll.
 */
const WOKEN_WITHIN_MS = 20_000;

/** The risk gate reads quotes from tick stores of this file's own exchange id. */
const QUOTES = riskExchangeId('handover');
const STREAMED = ['SIM51/USDT', 'SIM52/USDT'];

const WORKER_ENV: Record<string, string> = {
  ...orderMechanicsRiskEnv(QUOTES, ['BTC/USDT']),
  // Every long-lived workflow hands over after the fewest cycles or requests it allows.
  ...TINY_THRESHOLDS,
  SIM_BACKFILL_SEC: '5',
  // No nudges: the agent state and inbox change only through the calls made here.
  NUDGE_INTERVAL_SEC: '86400',
};

const sim = new SimVenue(42);
let worker: RunningWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;
let taskQueue: string;
const servers = {} as Record<'market' | 'agents' | 'ledger' | 'risk' | 'execution', ConnectedServer>;
const pairsAgent = uniqueAgent('handover-pairs');

beforeAll(async () => {
  taskQueue = uniqueTaskQueue('tools-handover');
  worker = await startTestWorker(taskQueue, WORKER_ENV);
  temporal = await testClient();
  await seedQuotes(temporal.client, taskQueue, QUOTES, { 'BTC/USDT': sim.tickAt('BTC/USDT', Date.now()) });
  const env = { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue };
  const groups = ['market', 'agents', 'ledger', 'risk', 'execution'] as const;
  const connected = await Promise.all(groups.map((g) => connectServer(g, env)));
  groups.forEach((g, i) => (servers[g] = connected[i]!));
});

afterAll(async () => {
  await temporal?.client.schedule.getHandle(nudgeScheduleId(pairsAgent)).delete().catch(() => undefined);
  const streamId = marketStreamWorkflowId('sim', STREAMED);
  for (const id of [streamId, ...STREAMED.map((s) => tickStoreWorkflowId('sim', s))]) {
    await temporal?.client.workflow.getHandle(id).terminate('test finished').catch(() => undefined);
  }
  await Promise.all(Object.values(servers).map((s) => s.close()));
  await worker?.stop();
  await temporal?.close();
});

function succeed<T>(server: keyof typeof servers, name: string, args: Record<string, unknown>, output: { strict(): { parse(v: unknown): T } }): Promise<T> {
  return toolCaller(() => servers[server].client).succeed(name, args, output);
}

const chain = (workflowId: string, fromFirstRun = false): Promise<RunChain> => runChain(temporal.client, workflowId, { fromFirstRun });
/** A decimal quantity as the ledger writes it back: no trailing zeros. */
const qtyOf = (round: number): string => String(Number((0.001 + round * 0.0001).toFixed(4)));
const handedOver = (c: RunChain): Promise<string> => nextRun(temporal.client, c, HAND_OVER_TIMEOUT_MS);
const expectCurrent = (c: RunChain, runId: string | null | undefined): Promise<void> => expectCurrentRunOf(temporal.client, c, runId);

describe('market streams and tick stores after hand-overs', () => {
  it('start_market_stream, subscribe_cex_stream, select_pairs and the tick reads keep reaching the current runs', { timeout: 600_000 }, async () => {
    const opened = await succeed('market', 'start_market_stream', { symbols: STREAMED, interval_sec: 1, exchange: 'sim' }, startMarketStream.output);
    expect(opened).toMatchObject({ symbols: STREAMED, attached: false, workflow_id: marketStreamWorkflowId('sim', STREAMED) });
    const stream = await chain(opened.workflow_id);
    const store = await eventually(() => chain(tickStoreWorkflowId('sim', STREAMED[0]!)));
    let agentState: RunChain | undefined;
    let lastNewestTs = 0;
    let lastSelectedAt = '';

    for (let round = 1; round <= HAND_OVERS; round += 1) {
      await handedOver(stream);
      await handedOver(store);

      // The same set in another order attaches to the stream's current run.
      const again = await succeed('market', 'start_market_stream', { symbols: [...STREAMED].reverse(), interval_sec: 1, exchange: 'sim' }, startMarketStream.output);
      expect(again).toMatchObject({ symbols: STREAMED, attached: true, interval_sec: 1, workflow_id: stream.workflowId, simulated: true });
      await expectCurrent(stream, again.run_id);

      const subscribed = await succeed('market', 'subscribe_cex_stream', { exchange: 'sim', symbols: STREAMED, interval_sec: 1 }, subscribeCexStream.output);
      expect(subscribed).toMatchObject({ symbols: STREAMED, attached: true, workflow_id: stream.workflowId });
      await expectCurrent(stream, subscribed.run_id);

      const selected = await succeed('agents', 'select_pairs', { symbols: STREAMED, exchange: 'sim', agent: pairsAgent }, selectPairs.output);
      expect(selected).toMatchObject({ agent: pairsAgent, exchange: 'sim', symbols: STREAMED, stream_workflow_ids: [stream.workflowId], schedule_created: round === 1 });

      // Attaching never changed what the stream fetches, and its counters survived every hand-over.
      const status = await readStreamStatus(temporal.client, stream.workflowId);
      expect(status).toMatchObject({ symbols: STREAMED, stopping: false, interval_sec: 1 });
      expect(status.stats.runs).toBeGreaterThanOrEqual(round + 1);

      // select_pairs' signal handed the agent's state over (its first signal created it); its status reads the current run.
      agentState ??= await chain(agentStateWorkflowId(pairsAgent), true);
      await handedOver(agentState);
      const agent = await succeed('agents', 'get_agent_status', { agent: pairsAgent }, getAgentStatus.output);
      expect(agent).toMatchObject({ agent: pairsAgent, exchange: 'sim', selected_pairs: STREAMED, inbox_depth: round, workflow_id: agentStateWorkflowId(pairsAgent) });
      expect(agent.selected_at! > lastSelectedAt).toBe(true);
      lastSelectedAt = agent.selected_at!;

      // The store's newest ticks are the sim venue's own quotes, newer each round.
      const history = await succeed('market', 'get_historical_ticks', { symbol: STREAMED[0], exchange: 'sim', limit: 3 }, getHistoricalTicks.output);
      const [series] = history.series;
      expect(series).toMatchObject({ symbol: STREAMED[0], workflow_id: store.workflowId });
      expect(series!.ticks).toHaveLength(3);
      for (const tick of series!.ticks) {
        const reference = sim.tickAt(STREAMED[0]!, tick.ts);
        expect({ bid: tick.bid, ask: tick.ask, last: tick.last }).toEqual({ bid: reference.bid, ask: reference.ask, last: reference.last });
      }
      expect(series!.newest_ts!).toBeGreaterThan(lastNewestTs);
      lastNewestTs = series!.newest_ts!;

      const snapshot = await succeed('market', 'get_market_snapshot', { symbols: STREAMED, exchange: 'sim' }, getMarketSnapshot.output);
      expect(snapshot.quotes.map((q) => [q.symbol, q.source, q.store_workflow_id])).toEqual(STREAMED.map((s) => [s, 'stream', tickStoreWorkflowId('sim', s)]));
    }

    expect(stream.seen.length).toBeGreaterThan(HAND_OVERS);
    const stopped = await succeed('market', 'stop_market_stream', { stream_id: stream.workflowId }, stopMarketStream.output);
    expect(stopped.streams).toEqual([{ workflow_id: stream.workflowId, removed: STREAMED, remaining: [], stopped: true }]);
  });
});

describe('an agent inbox and a conversation after hand-overs', () => {
  it('prompt_agent, next_prompt and get_agent_status reach the inbox current run (INBOX_CONTINUE_AS_NEW_AFTER=2)', { timeout: 300_000 }, async () => {
    const agent = uniqueAgent('handover-inbox');
    let inbox: RunChain | undefined;
    let lastSeq = -1;
    for (let round = 0; round <= HAND_OVERS; round += 1) {
      if (inbox) await handedOver(inbox);
      const messageId = `handover-${round}`;
      const sent = await succeed('agents', 'prompt_agent', { target: agent, message: `message ${round}`, message_id: messageId, from: 'handover-test' }, promptAgent.output);
      expect(sent).toMatchObject({ message_id: messageId, status: 'delivered', duplicate: false, inbox_workflow_id: inboxWorkflowId(agent) });
      expect(sent.seq!).toBeGreaterThan(lastSeq);
      lastSeq = sent.seq!;
      inbox ??= await chain(inboxWorkflowId(agent));

      const taken = await succeed('agents', 'next_prompt', { agent, wait_sec: 20 }, nextPrompt.output);
      expect(taken).toMatchObject({ agent, remaining: 0, workflow_id: inboxWorkflowId(agent) });
      expect(taken.message).toMatchObject({ message_id: messageId, seq: sent.seq, from: 'handover-test', text: `message ${round}` });
      await expectCurrent(inbox, taken.run_id);

      const status = await succeed('agents', 'get_agent_status', { agent }, getAgentStatus.output);
      expect(status).toMatchObject({ inbox_depth: 0, inbox_delivered: round + 1, inbox_workflow_id: inboxWorkflowId(agent) });
    }
    expect(inbox!.seen.length).toBeGreaterThan(HAND_OVERS);
  });

  it('save_conversation_turn and get_conversation reach the conversation current run (CONVERSATION_CONTINUE_AS_NEW_AFTER=1)', { timeout: 300_000 }, async () => {
    const agent = uniqueAgent('handover-talk');
    let conversation: RunChain | undefined;
    const expected: Array<{ role: string; content: string }> = [];
    for (let round = 1; round <= HAND_OVERS + 1; round += 1) {
      const turn = [
        { role: 'user', content: `question ${round}` },
        { role: 'assistant', content: `answer ${round}` },
      ];
      const saved = await succeed('agents', 'save_conversation_turn', { agent, turn_id: `turn-${round}`, messages: turn }, saveConversationTurn.output);
      expect(saved).toMatchObject({ agent, turn_id: `turn-${round}`, turn_seq: round, duplicate: false, stored_messages: 2 * round, workflow_id: conversationWorkflowId(agent) });
      expected.push(...turn);
      // The first turn creates the conversation, and already makes it hand over.
      conversation ??= await chain(conversationWorkflowId(agent), true);
      await expectCurrent(conversation, saved.run_id);

      // Each saved turn hands the conversation over; the read finds every turn in the new run.
      const runId = await handedOver(conversation);
      const read = await succeed('agents', 'get_conversation', { agent }, getConversation.output);
      expect(read).toMatchObject({ agent, turn_count: round, last_turn_id: `turn-${round}`, stored_messages: 2 * round, workflow_id: conversationWorkflowId(agent), run_id: runId });
      expect(read.messages.map((m) => ({ role: m.role, content: m.content }))).toEqual(expected);
    }
    // A turn saved in the first run is still known to the latest: nothing is appended twice.
    const repeated = await succeed('agents', 'save_conversation_turn', { agent, turn_id: 'turn-1', messages: expected.slice(0, 2) }, saveConversationTurn.output);
    expect(repeated).toMatchObject({ turn_seq: 1, duplicate: true, stored_messages: 2 * (HAND_OVERS + 1), run_id: await currentRun(temporal.client, conversation!) });
  });
});

describe('a ledger and a risk workflow after hand-overs', () => {
  it('get_portfolio_status, get_fills, get_risk_limits, pre_trade_risk_check and set_trading_state reach the current runs', { timeout: 600_000 }, async () => {
    const account = uniqueAccount('handover');
    // Fills are booked the way the order workflow books them (temporal/clients/ledger.ts bookFills).
    const driver = new RiskDriver(temporal.client, taskQueue, QUOTES, WORKER_ENV);
    let ledger: RunChain | undefined;
    let risk: RunChain | undefined;
    let bought = 0;
    let booked = 0;

    for (let round = 0; round <= HAND_OVERS; round += 1) {
      if (ledger && risk) {
        await handedOver(ledger);
        await handedOver(risk);
      }

      const fills = await succeed('ledger', 'get_fills', { account }, getFills.output);
      expect(fills).toMatchObject({ account, fill_count: booked, matched: booked, workflow_id: ledgerWorkflowId(account) });
      expect(fills.fills.map((f) => f.qty)).toEqual(Array.from({ length: booked }, (_, i) => qtyOf(i)));
      // The first read created the ledger; each fill after it makes it hand over.
      ledger ??= await chain(ledgerWorkflowId(account), true);
      await expectCurrent(ledger, fills.run_id);

      const portfolio = await succeed('ledger', 'get_portfolio_status', { account }, getPortfolioStatus.output);
      expect(portfolio).toMatchObject({ account, fill_count: booked, initial_cash: '100000', workflow_id: ledger.workflowId });
      expect(portfolio.positions.map((p) => [p.symbol, p.qty])).toEqual(booked === 0 ? [] : [['BTC/USDT', String(Number(bought.toFixed(4)))]]);
      await expectCurrent(ledger, portfolio.run_id);

      const limits = await succeed('risk', 'get_risk_limits', { account }, getRiskLimits.output);
      expect(limits).toMatchObject({ account, exchange: QUOTES, trading_state: 'ACTIVE', workflow_id: riskWorkflowId(account) });
      expect(limits.limits.allowed_symbols).toEqual(['BTC/USDT']);
      // The first read created the risk workflow; each check after it makes it hand over.
      risk ??= await chain(riskWorkflowId(account), true);
      await expectCurrent(risk, limits.run_id);

      const check = await succeed('risk', 'pre_trade_risk_check', { intent_id: `dry-${account}-${round}`, intents: [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.001' }], account }, preTradeRiskCheck.output);
      expect(check).toMatchObject({ account, decision: 'approved', reasons: [], dry_run: true, trading_state: 'ACTIVE', workflow_id: risk.workflowId });
      expect(check.metrics.position_after['BTC/USDT']).toBe(String(Number((bought + 0.001).toFixed(4))));
      await expectCurrent(risk, check.run_id);

      const qty = qtyOf(round);
      await driver.fill(account, { symbol: 'BTC/USDT', side: 'buy', qty, price: sim.tickAt('BTC/USDT', Date.now()).ask.toFixed(2) });
      bought += Number(qty);
      booked += 1;
    }

    // Tightening reaches the current run too, and the state it sets survives the next hand-over.
    const reduced = await succeed('risk', 'set_trading_state', { state: 'REDUCING', reason: 'tightened after several hand-overs', account }, setTradingState.output);
    expect(reduced).toMatchObject({ account, previous_state: 'ACTIVE', trading_state: 'REDUCING', changed: true, via: 'agent', workflow_id: risk!.workflowId });
    await expectCurrent(risk!, reduced.run_id);
    await handedOver(risk!);
    const limits = await succeed('risk', 'get_risk_limits', { account }, getRiskLimits.output);
    expect(limits).toMatchObject({ trading_state: 'REDUCING', last_change: { from: 'ACTIVE', to: 'REDUCING', reason: 'tightened after several hand-overs' } });
    await expectCurrent(risk!, limits.run_id);
    const refused = await succeed('risk', 'pre_trade_risk_check', { intent_id: `dry-${account}-reducing`, intents: [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.001' }], account }, preTradeRiskCheck.output);
    expect(refused.decision).toBe('rejected');
    expect(refused.reasons.map((r) => r.code)).toContain('REDUCE_ONLY');
    expect(ledger!.seen.length).toBeGreaterThan(HAND_OVERS);
    expect(risk!.seen.length).toBeGreaterThan(HAND_OVERS);
  });
});

describe('the intent bus after hand-overs', () => {
  it('submit_intent and subscribe_intents reach the bus current run (INTENT_BUS_CONTINUE_AS_NEW_AFTER=1)', { timeout: 600_000 }, async () => {
    const account = uniqueAccount('handover-bus');
    const agent = uniqueAgent('handover-listener');
    const busId = intentBusWorkflowId(taskQueue);
    let bus: RunChain | undefined;
    let first: { intent_id: string; bus_seq: number | null; qty: string } | undefined;

    for (let round = 0; round <= HAND_OVERS; round += 1) {
      if (bus) await handedOver(bus);
      const subscribed = await succeed('execution', 'subscribe_intents', { agent }, subscribeIntents.output);
      expect(subscribed).toMatchObject({ agent, subscriber: `agent:${agent}`, already: round > 0, bus_workflow_id: busId });
      // The first subscription creates the bus, and already makes it hand over.
      bus ??= await chain(busId, true);
      await expectCurrent(bus, subscribed.run_id);

      const intentId = `handover-${account}-${round}`;
      const qty = qtyOf(round);
      const submitted = await succeed('execution', 'submit_intent', { intent_id: intentId, intents: [{ symbol: 'BTC/USDT', side: 'buy', qty }], account }, submitIntent.output);
      expect(submitted).toMatchObject({ intent_id: intentId, decision: 'approved', broadcast: true, duplicate: false, client_order_ids: [`${intentId}.0`], risk_workflow_id: riskWorkflowId(account) });
      expect(submitted.bus_seq).toBe(round + 1);
      // The bus hands over right after this publish; its wake-up must still reach the execution subscriber.
      const order = await eventually(() => succeed('execution', 'get_order_status', { client_order_id: `${intentId}.0` }, getOrderStatus.output), WOKEN_WITHIN_MS, 250);
      expect(order).toMatchObject({ client_order_id: `${intentId}.0`, account, symbol: 'BTC/USDT', side: 'buy' });
      // Each publish hands the bus over: the next round waits for the new run first.
      first ??= { ...submitted, qty };
    }

    // The first intent, asked again after every hand-over, answers with what it was decided then.
    const again = await succeed('execution', 'submit_intent', { intent_id: first!.intent_id, intents: [{ symbol: 'BTC/USDT', side: 'buy', qty: first!.qty }], account }, submitIntent.output);
    expect(again).toMatchObject({ intent_id: first!.intent_id, duplicate: true, bus_seq: first!.bus_seq });
    expect(bus!.seen.length).toBeGreaterThan(HAND_OVERS);
  });
});
