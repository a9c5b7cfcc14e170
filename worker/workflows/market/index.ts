/** The market workflows: streams, tick stores and the short per-call workflows behind the tools. */
export { marketStreamWorkflow } from './market-stream.js';
export { tickStoreWorkflow } from './tick-store.js';
export {
  fetchOhlcvWorkflow,
  marketSnapshotWorkflow,
  openMarketStreamWorkflow,
  readHistoricalTicksWorkflow,
  stopMarketStreamWorkflow,
} from './market-requests.js';
