/**
 * The execution server's tools: a market order fills, a resting order cancels, an approved
 * intent is broadcast (its order exists and fills soon after, its listener reads it once), the
 * bus takes and drops subscribers, and transactions are sent with the nonce after the last.
 */
import type { ToolOutput } from '../../../schemas/contract.js';
import type { submitIntent, subscribeIntents, unsubscribeIntents } from '../../../schemas/execution-intents.js';
import type { cancelOrder, getOrderStatus, placeMockOrder } from '../../../schemas/execution-orders.js';
import type { getTxStatus, signAndSendTx } from '../../../schemas/execution-tx.js';
import type { nextPrompt } from '../../../schemas/agents.js';
import { check, checkEqual, within } from '../check.js';
import type { SoakContext } from '../soak-context.js';
import { notionalFor, priceText } from './sizes.js';
import type { ToolCheck } from './tool-check.js';

type Order = ToolOutput<typeof getOrderStatus>;

/** How soon an approved intent's order must exist: a subscriber the bus forgot to wake finds it only at its 60 s poll. */
const ORDER_EXISTS_WITHIN_MS = 20_000;
const FILLED_WITHIN_MS = 30_000;

const ids = (ctx: SoakContext) => ({
  market: `soak-${ctx.names.runTag}-${ctx.round}-m`,
  limit: `soak-${ctx.names.runTag}-${ctx.round}-l`,
  intent: `soak-${ctx.names.runTag}-${ctx.round}-i`,
  tx: `soak-${ctx.names.runTag}-${ctx.round}-tx`,
});

async function filledOrder(ctx: SoakContext, clientOrderId: string, withinMs: number): Promise<Order> {
  return within(withinMs, async () => {
    const order = await ctx.call<Order>('get_order_status', { client_order_id: clientOrderId });
    check(order.status === 'filled', `${clientOrderId} is ${order.status}${order.rejection ? ` (${order.rejection.code}: ${order.rejection.message})` : ''}, not filled`);
    return order;
  }, 500);
}

function remember(ctx: SoakContext, order: Order): void {
  check(order.account === ctx.names.account, `${order.client_order_id} is in account ${order.account}, not ${ctx.names.account}`);
  check(Number(order.filled_qty) > 0, `${order.client_order_id} filled ${order.filled_qty}`);
  ctx.memory.filled.set(order.client_order_id, { symbol: order.symbol, signedQty: (order.side === 'buy' ? 1 : -1) * Number(order.filled_qty) });
}

export const executionChecks: ToolCheck[] = [
  {
    tool: 'place_mock_order',
    async run(ctx) {
      const id = ids(ctx).market;
      const placed = await ctx.call<ToolOutput<typeof placeMockOrder>>('place_mock_order', {
        client_order_id: id,
        symbol: ctx.names.symbols[0],
        side: 'buy',
        type: 'market',
        quote_notional: notionalFor('market', ctx.round),
        account: ctx.names.account,
      });
      check(placed.rejection === null, `place_mock_order ${id} was rejected: ${JSON.stringify(placed.rejection)}`);
      checkEqual([placed.client_order_id, placed.duplicate], [id, false], 'place_mock_order (id, duplicate)');
    },
  },
  {
    tool: 'get_order_status',
    async run(ctx) {
      remember(ctx, await filledOrder(ctx, ids(ctx).market, FILLED_WITHIN_MS));
    },
  },
  {
    tool: 'cancel_order',
    async run(ctx) {
      const id = ids(ctx).limit;
      const quote = ctx.memory.quotes[ctx.names.symbols[0] as string];
      check(quote, 'no quote for the resting order (get_market_snapshot runs first)');
      // One percent under the bid: it rests, inside the price collar.
      const resting = await ctx.call<ToolOutput<typeof placeMockOrder>>('place_mock_order', {
        client_order_id: id,
        symbol: ctx.names.symbols[0],
        side: 'buy',
        type: 'limit',
        limit_price: priceText(quote.bid * 0.99),
        quote_notional: notionalFor('limit', ctx.round),
        account: ctx.names.account,
      });
      check(resting.rejection === null && ['pending', 'open'].includes(resting.status), `the resting order ${id} is ${resting.status}: ${JSON.stringify(resting.rejection)}`);
      const cancelled = await ctx.call<ToolOutput<typeof cancelOrder>>('cancel_order', { client_order_id: id });
      checkEqual([cancelled.cancelled, cancelled.status], [true, 'cancelled'], 'cancel_order (cancelled, status)');
    },
  },
  {
    tool: 'subscribe_intents',
    async run(ctx) {
      const subscribed = await ctx.call<ToolOutput<typeof subscribeIntents>>('subscribe_intents', { agent: ctx.names.listener });
      checkEqual([subscribed.agent, subscribed.already], [ctx.names.listener, ctx.round > 1], 'subscribe_intents (agent, already)');
    },
  },
  {
    tool: 'submit_intent',
    async run(ctx) {
      const id = ids(ctx).intent;
      // Its source is this round's prompt to the talker (prompt_agent runs first), so its audit trail is complete.
      const args = {
        intent_id: id,
        intents: [{ symbol: ctx.names.symbols[1], side: 'buy', quote_notional: notionalFor('intent', ctx.round) }],
        account: ctx.names.account,
        source: { agent: ctx.names.talker, message_id: `soak-${ctx.round}` },
      };
      const submitted = await ctx.call<ToolOutput<typeof submitIntent>>('submit_intent', args);
      const why = submitted.reasons.map((r) => `${r.code}: ${r.message}`).join('; ');
      checkEqual([submitted.decision, submitted.broadcast, submitted.duplicate, submitted.client_order_ids], ['approved', true, false, [`${id}.0`]], `submit_intent ${id} (${why})`);
      check((submitted.bus_seq ?? 0) > ctx.memory.lastBusSeq, `bus_seq ${submitted.bus_seq} is not after ${ctx.memory.lastBusSeq}`);
      ctx.memory.lastBusSeq = submitted.bus_seq as number;

      // Broadcast: the execution subscriber made the order, soon; it fills.
      remember(ctx, await filledOrder(ctx, `${id}.0`, ORDER_EXISTS_WITHIN_MS));
      // The listener reads it, once, among whatever the ensemble's intents put in its inbox.
      await within(ORDER_EXISTS_WITHIN_MS, async () => {
        for (let read = 0; read < 500; read += 1) {
          const taken = await ctx.call<ToolOutput<typeof nextPrompt>>('next_prompt', { agent: ctx.names.listener, wait_sec: 0 });
          if (!taken.message) break;
          check(!ctx.memory.listenerMessages.has(taken.message.message_id), `the listener read ${taken.message.message_id} twice`);
          ctx.memory.listenerMessages.add(taken.message.message_id);
          if (taken.message.text.startsWith(`Approved intent ${id} `)) return;
        }
        throw new Error(`the listener ${ctx.names.listener} has not received intent ${id} (bus #${submitted.bus_seq})`);
      }, 500);

      const repeated = await ctx.call<ToolOutput<typeof submitIntent>>('submit_intent', args);
      checkEqual([repeated.duplicate, repeated.bus_seq], [true, submitted.bus_seq], 'a repeated submit_intent (duplicate, bus_seq)');
    },
  },
  {
    tool: 'unsubscribe_intents',
    async run(ctx) {
      await ctx.call<ToolOutput<typeof subscribeIntents>>('subscribe_intents', { agent: ctx.names.churner });
      const removed = await ctx.call<ToolOutput<typeof unsubscribeIntents>>('unsubscribe_intents', { agent: ctx.names.churner });
      checkEqual([removed.agent, removed.removed], [ctx.names.churner, true], 'unsubscribe_intents (agent, removed)');
    },
  },
  {
    tool: 'sign_and_send_tx',
    async run(ctx) {
      const sent = await ctx.call<ToolOutput<typeof signAndSendTx>>('sign_and_send_tx', { idempotency_key: ids(ctx).tx, chain_id: ctx.names.chainId, to: ctx.names.recipient, value_wei: '1000' }, 90_000);
      check(['pending', 'confirmed'].includes(sent.status), `sign_and_send_tx is ${sent.status}: ${sent.reason_code ?? ''} ${sent.reason ?? ''}`);
      // The allocator's count carried over every hand-over: this run's transactions take 0, 1, 2, ...
      checkEqual(sent.nonce, ctx.memory.txCount, 'sign_and_send_tx nonce');
      ctx.memory.txCount += 1;
      ctx.memory.lastTxHash = sent.tx_hash ?? undefined;
    },
  },
  {
    tool: 'get_tx_status',
    async run(ctx) {
      const status = await within(30_000, async () => {
        const read = await ctx.call<ToolOutput<typeof getTxStatus>>('get_tx_status', { idempotency_key: ids(ctx).tx });
        check(read.status === 'confirmed', `${ids(ctx).tx} is ${read.status}`);
        return read;
      }, 1_000);
      check(status.tx_hash && status.tx_hash === ctx.memory.lastTxHash, `get_tx_status hash ${status.tx_hash} is not the one sent (${ctx.memory.lastTxHash})`);
    },
  },
];
