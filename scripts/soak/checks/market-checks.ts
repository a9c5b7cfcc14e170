/**
 * The market server's tools: the broker's stream still attaches by its set in any order, its
 * stores keep receiving newer ticks, snapshots answer from the stream, candles come back, and a
 * stream of the driver's own starts and stops cleanly every round.
 */
import type { getHistoricalTicks, getMarketSnapshot, getOhlcv, startMarketStream, stopMarketStream, subscribeCexStream } from '../../../schemas/market.js';
import type { ToolOutput } from '../../../schemas/contract.js';
import { marketStreamWorkflowId, tickStoreWorkflowId } from '../../../schemas/temporal/market.js';
import { check, checkEqual, within } from '../check.js';
import type { SoakContext } from '../soak-context.js';
import type { ToolCheck } from './tool-check.js';

const sorted = (symbols: string[]): string[] => [...symbols].sort();

export const marketChecks: ToolCheck[] = [
  {
    tool: 'start_market_stream',
    async run({ call, names }: SoakContext) {
      const opened = await call<ToolOutput<typeof startMarketStream>>('start_market_stream', { symbols: [...names.symbols].reverse(), interval_sec: 1, exchange: names.exchange });
      checkEqual(sorted(opened.symbols), sorted(names.symbols), 'start_market_stream symbols');
      check(opened.attached, `start_market_stream did not attach to the running stream ${marketStreamWorkflowId(names.exchange, names.symbols)}`);
      checkEqual(opened.workflow_id, marketStreamWorkflowId(names.exchange, names.symbols), 'start_market_stream workflow_id');
    },
  },
  {
    tool: 'subscribe_cex_stream',
    async run({ call, names }: SoakContext) {
      const subscribed = await call<ToolOutput<typeof subscribeCexStream>>('subscribe_cex_stream', { exchange: names.exchange, symbols: names.symbols, interval_sec: 1 });
      check(subscribed.attached, 'subscribe_cex_stream did not attach to the running stream');
      checkEqual(subscribed.workflow_id, marketStreamWorkflowId(names.exchange, names.symbols), 'subscribe_cex_stream workflow_id');
    },
  },
  {
    tool: 'get_historical_ticks',
    async run({ call, names, memory }: SoakContext) {
      // The store keeps receiving: each round's newest tick is newer than the last round's.
      for (const symbol of names.symbols) {
        const before = memory.newestTs[symbol] ?? 0;
        const series = await within(15_000, async () => {
          const read = await call<ToolOutput<typeof getHistoricalTicks>>('get_historical_ticks', { symbol, exchange: names.exchange, limit: 3 });
          const [s] = read.series;
          check(s && s.symbol === symbol, `get_historical_ticks answered no series for ${symbol}`);
          check((s.newest_ts ?? 0) > before, `${symbol}: no tick newer than ${before} (newest ${s.newest_ts})`);
          return s;
        });
        checkEqual(series.workflow_id, tickStoreWorkflowId(names.exchange, symbol), `${symbol} store workflow_id`);
        checkEqual(series.ticks.length, 3, `${symbol} ticks returned`);
        for (const tick of series.ticks) check(tick.bid > 0 && tick.bid <= tick.ask, `${symbol}: tick ${JSON.stringify(tick)} has no sane bid/ask`);
        memory.newestTs[symbol] = series.newest_ts as number;
      }
    },
  },
  {
    tool: 'get_market_snapshot',
    async run({ call, names, memory }: SoakContext) {
      const snapshot = await call<ToolOutput<typeof getMarketSnapshot>>('get_market_snapshot', { symbols: names.symbols, exchange: names.exchange });
      checkEqual(
        snapshot.quotes.map((q) => [q.symbol, q.source, q.store_workflow_id]),
        names.symbols.map((s) => [s, 'stream', tickStoreWorkflowId(names.exchange, s)]),
        'get_market_snapshot quotes (symbol, source, store)',
      );
      for (const q of snapshot.quotes) {
        check(!q.stale, `${q.symbol}: the streamed quote is stale (${q.age_ms} ms old)`);
        memory.quotes[q.symbol] = { bid: q.bid, ask: q.ask };
      }
    },
  },
  {
    tool: 'get_ohlcv',
    async run({ call, names }: SoakContext) {
      const symbol = names.symbols[0] as string;
      const read = await call<ToolOutput<typeof getOhlcv>>('get_ohlcv', { symbol, exchange: names.exchange, timeframe: '1m', limit: 3 });
      checkEqual(read.symbol, symbol, 'get_ohlcv symbol');
      check(read.candles.length > 0, 'get_ohlcv returned no candles');
      for (const c of read.candles) check(c.low <= c.high && c.open > 0 && c.close > 0, `get_ohlcv candle ${JSON.stringify(c)} is not a candle`);
    },
  },
  {
    tool: 'stop_market_stream',
    async run({ call, names }: SoakContext) {
      // A stream of the driver's own: started anew each round (the last one was stopped), then stopped.
      const symbols = [names.extraSymbol];
      const opened = await call<ToolOutput<typeof startMarketStream>>('start_market_stream', { symbols, interval_sec: 1, exchange: names.exchange });
      checkEqual(opened.workflow_id, marketStreamWorkflowId(names.exchange, symbols), 'the extra stream workflow_id');
      const stopped = await call<ToolOutput<typeof stopMarketStream>>('stop_market_stream', { stream_id: opened.workflow_id });
      checkEqual(stopped.streams, [{ workflow_id: opened.workflow_id, removed: symbols, remaining: [], stopped: true }], 'stop_market_stream streams');
    },
  },
];
