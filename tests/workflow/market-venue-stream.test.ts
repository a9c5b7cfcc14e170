/**
 * Streams from ccxt venues (Binance and OKX answers recorded in their own formats, served on
 * 127.0.0.1 through proxyUrl) into tick stores on a real Temporal dev server: the stored ticks are
 * exactly the recorded prices; timeouts, 429/418, 5xx and garbage bodies lose, duplicate or
 * reorder nothing and leave a visible gap; the stream goes on.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HistoricalTicksResult, OpenMarketStreamResult } from '../../schemas/temporal/market.js';
import { eventually } from '../helpers/eventually.js';
import { FakeVenueServer } from '../helpers/fake-venue-server.js';
import { MarketDriver } from '../helpers/market-driver.js';
import {
  BINANCE,
  OKX,
  TICKER_RECORDINGS,
  binanceExpected,
  binanceRecordings,
  exchangeOptionsFor,
  okxExpected,
  okxRecordings,
  type ExpectedTick,
} from '../helpers/recorded-venues.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';

let venue: FakeVenueServer;
let worker: RunningWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;
let market: MarketDriver;

beforeAll(async () => {
  venue = await FakeVenueServer.start([...binanceRecordings(), ...okxRecordings()]);
  const taskQueue = uniqueTaskQueue('market-venue');
  worker = await startTestWorker(taskQueue, {
    EXCHANGE_OPTIONS: exchangeOptionsFor(venue),
    MARKET_EXCHANGE: 'binance',
    STREAM_CYCLE_ATTEMPTS: '2',
    MARKET_STALE_AFTER_MS: '60000',
  });
  temporal = await testClient();
  market = new MarketDriver(temporal.client, taskQueue);
});

afterEach(() => {
  venue.assertOnlyRecordedRequests();
});

afterAll(async () => {
  await market?.terminate();
  await worker?.stop();
  await temporal?.close();
  await venue?.close();
});

/** Streams until the venue has answered every recording and then repeated the last one. */
async function streamThroughRecordings(exchange: string, tickersUrl: string, symbols: string[]): Promise<OpenMarketStreamResult> {
  const opened = await market.openStream(symbols, 1, exchange);
  await eventually(() => expect(venue.answered(tickersUrl)).toBeGreaterThan(TICKER_RECORDINGS), 45_000);
  return opened;
}

function pricesOf(read: HistoricalTicksResult, symbol: string): ExpectedTick[] {
  const series = read.series.find((s) => s.symbol === symbol)!;
  return series.ticks.map((t) => ({ ts: t.ts, bid: t.bid, ask: t.ask, last: t.last, volume: t.volume as number }));
}

async function stop(opened: OpenMarketStreamResult): Promise<void> {
  await market.stopStreams({ stream_id: opened.stream_workflow_id });
  await temporal.client.workflow.getHandle(opened.stream_workflow_id).result();
}

describe('streams from recorded venues', () => {
  it('Binance: get_historical_ticks returns exactly the recorded prices, each once, in order', async () => {
    const opened = await streamThroughRecordings('binance', BINANCE.tickers, ['BTC/USDT', 'ETH/USDT']);
    expect(opened).toMatchObject({ exchange: 'binance', simulated: false, attached: false });
    const read = await market.historicalTicks({ symbols: ['BTC/USDT', 'ETH/USDT'], limit: 100 });
    expect(pricesOf(read, 'BTC/USDT')).toEqual(binanceExpected('BTCUSDT'));
    expect(pricesOf(read, 'ETH/USDT')).toEqual(binanceExpected('ETHUSDT'));
    expect(read.series.every((s) => s.gaps.length === 0)).toBe(true);
    // The last recording kept being served: the store saw it again and ignored it.
    const status = await market.storeStatus('binance', 'BTC/USDT');
    expect(status.stats.accepted).toBe(TICKER_RECORDINGS);
    expect(status.stats.ignored_stale).toBeGreaterThan(0);
    await stop(opened);
  });

  it('OKX: the same through another venue format', async () => {
    const opened = await streamThroughRecordings('okx', OKX.tickers, ['BTC/USDT', 'SOL/USDT']);
    const read = await market.historicalTicks({ exchange: 'okx', symbols: ['BTC/USDT', 'SOL/USDT'] });
    expect(pricesOf(read, 'BTC/USDT')).toEqual(okxExpected('BTC-USDT'));
    expect(pricesOf(read, 'SOL/USDT')).toEqual(okxExpected('SOL-USDT'));
    const [first] = read.series.find((s) => s.symbol === 'BTC/USDT')!.ticks;
    // ccxt derives the 24h change from open24h: (69410.1 - 69802) / 69802.
    expect(first!.change_24h_pct).toBeCloseTo(((69410.1 - 69802) / 69802) * 100, 6);
    await stop(opened);
  });
});
