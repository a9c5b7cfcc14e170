/**
 * Every size, price and key a host sends, judged through the spawned execution server with the
 * real worker behind it (the sim venue):
 * - an amount not in its canonical spelling is refused by the server, saying how to write it,
 *   before anything is started, so its client_order_id stays free for the corrected order;
 * - a size the venue would not accept (below its minimum, off its step, below its minimum value)
 *   is refused at placement with INVALID_SIZE naming the symbol's rules, and nothing is booked;
 * - an unknown key is refused at every level, `__proto__` (which the MCP SDK would silently drop),
 *   `constructor` and `prototype` included, and the id stays free. `__proto__` goes over raw
 *   JSON-RPC lines, so the test knows the key reached the server exactly as written.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getOrderStatus, placeMockOrder } from '../../schemas/execution-orders.js';
import { submitIntent } from '../../schemas/execution-intents.js';
import { ledgerJournalQuery, ledgerWorkflowId } from '../../schemas/temporal/ledger.js';
import { uniqueAccount } from '../helpers/ledger-driver.js';
import { connectServer, type ConnectedServer } from '../helpers/mcp-servers.js';
import { initialize, killRawServer, spawnRawServer, type RawServer } from '../helpers/raw-stdio.js';
import { orderMechanicsRiskEnv, riskExchangeId, seedQuotes } from '../helpers/risk-ready-market.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';
import { toolCaller } from '../helpers/tool-calls.js';
import { SimVenue } from '../../worker/activities/market/venues/sim/sim-venue.js';

/** The risk gate reads quotes from tick stores of this file's own, seeded from the sim venue. */
const QUOTES = riskExchangeId('ct_input');
const SYMBOLS = ['BTC/USDT', 'DOGE/USDT'];
const BTC_RULES = 'BTC/USDT trades in steps of 0.00001 with a minimum of 0.00001 and a minimum value of 5 USDT';

let worker: RunningWorker;
let server: ConnectedServer;
let raw: RawServer;
let temporal: Awaited<ReturnType<typeof testClient>>;

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue('input-validation');
  worker = await startTestWorker(taskQueue, orderMechanicsRiskEnv(QUOTES, SYMBOLS));
  temporal = await testClient();
  const sim = new SimVenue(42);
  const now = Date.now();
  await seedQuotes(temporal.client, taskQueue, QUOTES, Object.fromEntries(SYMBOLS.map((s) => [s, sim.tickAt(s, now)])));
  const env = { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue };
  server = await connectServer('execution', env);
  raw = spawnRawServer('execution', env);
  await initialize(raw);
});

afterAll(async () => {
  await server?.close();
  if (raw) await killRawServer(raw);
  await worker?.stop();
  await temporal?.close();
});

const { fail, succeed } = toolCaller(() => server.client);
const orderId = () => `iv-${crypto.randomUUID()}`;

async function journalOf(account: string): Promise<string[]> {
  const page = await temporal.client.workflow.getHandle(ledgerWorkflowId(account)).query(ledgerJournalQuery, { limit: 1_000 });
  return page.fills.map((f) => f.fill_id);
}

/** The id was never taken: no order exists under it. */
async function expectNoOrder(clientOrderId: string): Promise<void> {
  expect(await fail('get_order_status', { client_order_id: clientOrderId })).toMatch(/^ORDER_NOT_FOUND: /);
}

/** A valid order under the same id fills: the refusal left the id free. */
async function expectIdFree(clientOrderId: string, account: string): Promise<void> {
  const placed = await succeed('place_mock_order', { client_order_id: clientOrderId, symbol: 'BTC/USDT', side: 'buy', type: 'market', qty: '0.001', account }, placeMockOrder.output);
  expect(placed).toMatchObject({ status: 'filled', filled_qty: '0.001', duplicate: false });
}

describe('amounts in their canonical spelling, at the server', () => {
  const spellings: Array<[string, Record<string, string>, RegExp]> = [
    ['a leading zero', { qty: '00.5' }, /^INVALID_INPUT: qty: write 0\.5, not 00\.5 \(no leading zeros\)/],
    ['an exponent', { qty: '1e-18' }, /^INVALID_INPUT: qty: write 0\.000000000000000001, not 1e-18 \(no exponent\)/],
    ['a trailing point', { qty: '1.' }, /^INVALID_INPUT: qty: write 1, not 1\. \(no trailing "\."\)/],
    ['a bare point', { quote_notional: '.5' }, /^INVALID_INPUT: quote_notional: write 0\.5, not \.5 \(a digit before the "\."\)/],
    ['a sign', { qty: '+0.001' }, /^INVALID_INPUT: qty: write 0\.001, not \+0\.001 \(no sign/],
    ['too many decimals', { qty: `0.${'0'.repeat(18)}1` }, /^INVALID_INPUT: qty: at most 30 digits before the "\." and 18 after/],
    ['a leading zero in a limit price', { qty: '0.001', limit_price: '065000' }, /^INVALID_INPUT: limit_price: write 65000, not 065000 \(no leading zeros\)/],
  ];

  it.each(spellings)('refuses %s, saying how to write it, and leaves the id free', async (_label, sizes, message) => {
    const account = uniqueAccount('iv');
    const id = orderId();
    const type = sizes.limit_price ? 'limit' : 'market';
    expect(await fail('place_mock_order', { client_order_id: id, symbol: 'BTC/USDT', side: 'buy', type, account, ...sizes })).toMatch(message);
    await expectNoOrder(id);
    await expectIdFree(id, account);
  });

  it('refuses the same spellings inside an intent leg, and leaves the intent id free', async () => {
    const account = uniqueAccount('iv');
    const intentId = `iv-intent-${crypto.randomUUID()}`;
    const leg = { symbol: 'BTC/USDT', side: 'buy', qty: '00.001' };
    expect(await fail('submit_intent', { intent_id: intentId, intents: [leg], account })).toMatch(/^INVALID_INPUT: intents\.0\.qty: write 0\.001, not 00\.001 \(no leading zeros\)/);
    const decided = await succeed('submit_intent', { intent_id: intentId, intents: [{ ...leg, qty: '0.001' }], account }, submitIntent.output);
    expect(decided).toMatchObject({ decision: 'approved', duplicate: false });
  });
});

describe('sizes the venue accepts, at placement', () => {
  const refusals: Array<[string, Record<string, string>, string]> = [
    ['a qty far below the minimum', { symbol: 'BTC/USDT', qty: '0.000000000000000001' }, `qty 0.000000000000000001 is below the minimum: ${BTC_RULES}; raise qty to at least 0.00001`],
    ['a qty off the step', { symbol: 'BTC/USDT', qty: '0.000015' }, `qty 0.000015 is not a whole number of steps: ${BTC_RULES}; use a whole number of steps, such as 0.00001 or 0.00002`],
    ['a qty below the minimum value', { symbol: 'BTC/USDT', qty: '0.00001' }, `qty 0.00001 is below the minimum value: ${BTC_RULES}; it is worth about`],
    ['a quote_notional below the minimum value', { symbol: 'BTC/USDT', quote_notional: '1' }, `quote_notional 1 is below the minimum value: ${BTC_RULES}; raise it to at least 5`],
    ['a quote_notional far below the minimum', { symbol: 'BTC/USDT', quote_notional: '0.000000000000000001' }, 'quote_notional 0.000000000000000001'],
    ['a fraction of a whole-unit step', { symbol: 'DOGE/USDT', qty: '100.5' }, 'qty 100.5 is not a whole number of steps: DOGE/USDT trades in steps of 1 with a minimum of 1 and a minimum value of 5 USDT; use a whole number of steps, such as 100 or 101'],
  ];

  it.each(refusals)('refuses %s with INVALID_SIZE naming the rules, booking nothing', async (_label, order, message) => {
    const account = uniqueAccount('iv');
    // A first fill opens the account's ledger, so "nothing booked" is a journal that did not grow.
    await expectIdFree(orderId(), account);
    const before = await journalOf(account);
    const placed = await succeed('place_mock_order', { client_order_id: orderId(), side: 'buy', type: 'market', account, ...order }, placeMockOrder.output);
    expect(placed).toMatchObject({ status: 'rejected', fills: [], filled_qty: '0', rejection: { code: 'INVALID_SIZE' } });
    expect(placed.rejection?.message).toContain(message);
    expect(await journalOf(account)).toEqual(before);
  });

  it('fills the smallest size the rules allow', async () => {
    const placed = await succeed(
      'place_mock_order',
      { client_order_id: orderId(), symbol: 'DOGE/USDT', side: 'buy', type: 'market', qty: '100', account: uniqueAccount('iv') },
      placeMockOrder.output,
    );
    expect(placed).toMatchObject({ status: 'filled', filled_qty: '100' });
  });
});

describe('unknown keys, at every level', () => {
  it('refuses constructor, prototype and a misspelt field at the top, naming each, and leaves the id free', async () => {
    for (const key of ['constructor', 'prototype', 'qtty']) {
      const account = uniqueAccount('iv');
      const id = orderId();
      const message = await fail('place_mock_order', { client_order_id: id, symbol: 'BTC/USDT', side: 'buy', type: 'market', qty: '0.001', account, [key]: 'x' });
      expect(message).toMatch(/^INVALID_INPUT: /);
      expect(message).toContain(`"${key}"`);
      await expectNoOrder(id);
      await expectIdFree(id, account);
    }
  });

  it('refuses them inside an intent leg and the intent source', async () => {
    const leg = { symbol: 'BTC/USDT', side: 'buy', qty: '0.001' };
    expect(await fail('submit_intent', { intent_id: `iv-${crypto.randomUUID()}`, intents: [{ ...leg, constructor: 'x' }] })).toMatch(
      /^INVALID_INPUT: arguments\.intents\[0\]\.constructor: the key "constructor" is not accepted/,
    );
    expect(await fail('submit_intent', { intent_id: `iv-${crypto.randomUUID()}`, intents: [leg], source: { agent: 'a', message_id: 'm', prototype: 'x' } })).toMatch(
      /^INVALID_INPUT: arguments\.source\.prototype: the key "prototype" is not accepted/,
    );
    expect(await fail('submit_intent', { intent_id: `iv-${crypto.randomUUID()}`, intents: [{ ...leg, qtty: '1' }] })).toMatch(/^INVALID_INPUT: intents\.0: Unrecognized key: "qtty"/);
  });

  describe('__proto__, over raw JSON-RPC', () => {
    /** tools/call with the arguments exactly as written: JSON.parse keeps "__proto__" as an own key. */
    async function rawCall(name: string, argsJson: string) {
      const params = { name, arguments: JSON.parse(argsJson) as Record<string, unknown> };
      // What goes down the pipe is the JSON as written, "__proto__" and all.
      expect(JSON.stringify(params)).toContain(argsJson.includes('__proto__') ? '"__proto__"' : '"name"');
      const response = await raw.request('tools/call', params);
      expect(response.error, JSON.stringify(response.error)).toBeUndefined();
      return response.result as { isError?: boolean; content: Array<{ type: string; text: string }>; structuredContent?: Record<string, unknown> };
    }

    it('refuses it at the top of a tool call, naming it, and leaves the id free', async () => {
      const account = uniqueAccount('iv');
      const id = orderId();
      const order = `"client_order_id":"${id}","symbol":"BTC/USDT","side":"buy","type":"market","qty":"0.001","account":"${account}"`;
      const refused = await rawCall('place_mock_order', `{${order},"__proto__":{"qty":"5"}}`);
      expect(refused.isError).toBe(true);
      expect(refused.content[0]?.text).toMatch(/^INVALID_INPUT: arguments\.__proto__: the key "__proto__" is not accepted/);
      await expectNoOrder(id);
      const placed = await rawCall('place_mock_order', `{${order}}`);
      expect(placed.isError).toBeFalsy();
      expect(placeMockOrder.output.strict().parse(placed.structuredContent)).toMatchObject({ client_order_id: id, status: 'filled', filled_qty: '0.001' });
      expect(getOrderStatus.output.strict().parse((await rawCall('get_order_status', `{"client_order_id":"${id}"}`)).structuredContent).status).toBe('filled');
    });

    it('refuses it inside an intent leg and the intent source', async () => {
      const leg = '{"symbol":"BTC/USDT","side":"buy","qty":"0.001","__proto__":{"quote_notional":"5"}}';
      const inLeg = await rawCall('submit_intent', `{"intent_id":"iv-${crypto.randomUUID()}","intents":[${leg}]}`);
      expect(inLeg.isError).toBe(true);
      expect(inLeg.content[0]?.text).toMatch(/^INVALID_INPUT: arguments\.intents\[0\]\.__proto__: the key "__proto__" is not accepted/);
      const inSource = await rawCall(
        'submit_intent',
        `{"intent_id":"iv-${crypto.randomUUID()}","intents":[{"symbol":"BTC/USDT","side":"buy","qty":"0.001"}],"source":{"agent":"a","message_id":"m","__proto__":{}}}`,
      );
      expect(inSource.content[0]?.text).toMatch(/^INVALID_INPUT: arguments\.source\.__proto__: /);
    });
  });
});
