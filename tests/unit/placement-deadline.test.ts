/**
 * place_mock_order's wait ends at its bound even when garbage collections run during it. The
 * deadline used to be AbortSignal.any with AbortSignal.timeout, whose timeout source Node 20
 * collects: under load every call then waited until the host gave up (p50 33 s against a 15 s
 * bound in the chaos run). Against the real dev server, on a task queue no worker polls, so the
 * order is started and nothing ever decides it: the answer must be the pending order, in time.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../schemas/temporal/orders.js';
import { placeOrder } from '../../temporal/clients/orders/placement.js';
import { testClient } from '../helpers/temporal-client.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const WAIT_MS = 1_500;
/** Far beyond the wait: a wait that ignores its deadline is caught, not hung on. */
const GUARD_MS = 20_000;

let temporal: Awaited<ReturnType<typeof testClient>>;
beforeAll(async () => {
  temporal = await testClient();
});
afterAll(async () => {
  await temporal?.close();
});

function request(n: number) {
  return {
    client_order_id: `deadline-gc-${crypto.randomUUID().slice(0, 8)}-${n}`,
    account: 'default',
    symbol: 'BTC/USDT',
    side: 'buy' as const,
    type: 'market' as const,
    qty: '0.001',
    quote_notional: null,
    limit_price: null,
    intent_id: null,
    expires_after_sec: null,
  };
}

describe('placeOrder under garbage collection', () => {
  it('answers every undecided order pending at its bound while collections run', async () => {
    const taskQueue = `no-worker-${crypto.randomUUID().slice(0, 8)}`;
    const requests = Array.from({ length: 10 }, (_, n) => request(n));
    const collecting = setInterval(gc, 100);
    try {
      const guard = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), GUARD_MS).unref());
      const answers = await Promise.race([
        Promise.all(requests.map((r) => placeOrder(temporal.client, taskQueue, r, new AbortController().signal, WAIT_MS))),
        guard,
      ]);
      expect(answers).not.toBe('hung');
      for (const placed of answers as Exclude<typeof answers, 'hung'>) {
        expect(placed.order.status).toBe('pending');
        expect(placed.order.status_reason).toMatch(/not decided within 1\.5 s/);
        expect(placed.duplicate).toBe(false);
      }
    } finally {
      clearInterval(collecting);
      // Nothing will ever run these orders: end them so the dev server holds nothing open.
      await Promise.all(
        requests.map((r) => temporal.client.workflow.getHandle(orderWorkflowId(r.client_order_id)).terminate('test over').catch(() => undefined)),
      );
    }
  });
});
