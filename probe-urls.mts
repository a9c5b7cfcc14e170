import ccxt from 'ccxt';
import { FakeVenueServer, fixture } from './tests/helpers/fake-venue-server.js';
const v = await FakeVenueServer.start([
  { url: 'https://api.binance.com/api/v3/exchangeInfo', responses: [{ body: fixture('binance', 'exchangeInfo.json') }] },
  { url: 'https://www.okx.com/api/v5/public/instruments?instType=SPOT', responses: [{ body: fixture('okx', 'instruments-SPOT.json') }] },
]);
for (const id of ['binance', 'okx']) {
  const ex = new (ccxt as any)[id]({ proxyUrl: v.proxyUrl, enableRateLimit: false, timeout: 1000, options: { fetchMarkets: { types: ['spot'] } } });
  for (const [name, fn] of [['markets', () => ex.loadMarkets()], ['tickers', () => ex.fetchTickers(['BTC/USDT', 'ETH/USDT'])], ['book', () => ex.fetchOrderBook('BTC/USDT', 5)], ['ohlcv', () => ex.fetchOHLCV('BTC/USDT', '1m', undefined, 3)]] as const) {
    try { const r = await (fn as any)(); console.log(id, name, 'ok', name==='markets'? Object.keys(r): ''); } catch (e: any) { console.log(id, name, e.constructor.name, String(e.message).slice(0, 150)); }
  }
  console.log(id, 'fees', ex.fees?.trading?.maker, ex.fees?.trading?.taker);
}
console.log(v.unrecorded);
await v.close();
