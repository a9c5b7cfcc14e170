/**
 * Websocket tickers (ccxt's watchTickers) with REST as the fallback, on a real Temporal dev
 * server: a Binance market-stream socket on 127.0.0.1 pushes recorded 24hrTicker events and the
 * store holds exactly those prices, REST stays quiet while the socket is live, takes over during a
 * websocket outage without a gap, and the socket is used again once it is back.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { FakeBinanceWebsocket } from '../helpers/fake-binance-websocket.js';
import { FakeVenueServer, fixture } from '../helpers/fake-venue-server.js';
import { MarketDriver } from '../helpers/market-driver.js';
import { BINANCE } from '../helpers/recorded-venues.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';

const TICKER_URL = 'https://api.binance.com/api/v3/ticker/24hr?symbols=["BNBUSDT"]';
const SYMBOL = 'BNB/USDT';
type WsTicker = Record<string, string | number> & { s: string; C: number };

let rest: FakeVenueServer;
let socket: FakeBinanceWebsocket;
let worker: RunningWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;
let market: MarketDriver;
const events = fixture('binance', 'ws-24hrTicker-BNBUSDT.json') as WsTicker[];
const restRow = (fixture('binance', 'ticker-24hr-BNBUSDT.json') as Array<Record<string, string | number>>)[0]!;

beforeAll(async () => {
  rest = await FakeVenueServer.start([
    { url: BINANCE.exchangeInfo, responses: [{ body: fixture('binance', 'exchangeInfo.json') }] },
    { url: TICKER_URL, responses: [{ body: [restRow] }] },
  ]);
  socket = await FakeBinanceWebsocket.start();
  const binance = {
    proxyUrl: rest.proxyUrl,
    enableRateLimit: false,
    timeout: 1_000,
    options: { fetchMarkets: { types: ['spot'] } },
    urls: { api: { ws: { spot: socket.url } } },
    // Binance's default ticker channel (miniTicker) has no book; the full ticker has bid and ask.
    watchTickers: { params: { name: 'ticker' }, maxAgeMs: 60_000 },
  };
  const taskQueue = uniqueTaskQueue('market-ws');
  worker = await startTestWorker(taskQueue, { EXCHANGE_OPTIONS: JSON.stringify({ binance }) });
  temporal = await testClient();
  market = new MarketDriver(temporal.client, taskQueue);
});

afterEach(() => {
  rest.assertOnlyRecordedRequests();
});

afterAll(async () => {
  await market?.terminate();
  await worker?.stop();
  await temporal?.close();
  await socket?.close();
  await rest?.close();
});

async function newestTs(): Promise<number | undefined> {
  return (await market.latest('binance', SYMBOL))?.tick.ts;
}

/** Pushes one recorded event and waits until the store holds it. */
async function pushAndStore(event: WsTicker): Promise<void> {
  socket.pushTicker(event);
  await eventually(async () => expect(await newestTs()).toBe(event.C), 20_000);
}

describe('websocket tickers with REST as the fallback', () => {
  it('stores exactly the pushed prices, polls REST only while the socket is down, and returns to the socket', async () => {
    const opened = await market.openStream([SYMBOL], 1, 'binance');
    // The first cycle has no live socket yet: it asks REST, and subscribes.
    await eventually(async () => expect(await newestTs()).toBe(restRow.closeTime), 20_000);
    await eventually(() => expect(socket.subscriptions).toEqual([['bnbusdt@ticker']]), 20_000);

    await pushAndStore(events[0]!);
    const restCallsWhileLive = rest.answered(TICKER_URL);
    await pushAndStore(events[1]!);
    await pushAndStore(events[2]!);
    expect(rest.answered(TICKER_URL)).toBe(restCallsWhileLive);

    socket.outage();
    await eventually(() => expect(rest.answered(TICKER_URL)).toBeGreaterThan(restCallsWhileLive + 1), 20_000);
    socket.accepting();
    await eventually(() => expect(socket.subscriptions.length).toBe(2), 45_000);
    await pushAndStore(events[3]!);

    const read = await market.historicalTicks({ exchange: 'binance', symbols: [SYMBOL] });
    const series = read.series[0]!;
    const expected = [
      { ts: restRow.closeTime, bid: Number(restRow.bidPrice), ask: Number(restRow.askPrice), last: Number(restRow.lastPrice), volume: Number(restRow.volume) },
      ...events.map((e) => ({ ts: e.C, bid: Number(e.b), ask: Number(e.a), last: Number(e.c), volume: Number(e.v) })),
    ];
    expect(series.ticks.map((t) => ({ ts: t.ts, bid: t.bid, ask: t.ask, last: t.last, volume: t.volume }))).toEqual(expected);
    // REST answered during the outage with an older quote: ignored, and no gap, since the venue kept answering.
    expect(series.gaps).toEqual([]);
    const status = await market.storeStatus('binance', SYMBOL);
    expect(status.stats.ignored_stale).toBeGreaterThan(0);
    await market.stopStreams({ stream_id: opened.stream_workflow_id });
  });
});
