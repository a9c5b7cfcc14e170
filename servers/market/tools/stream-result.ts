/** The answer of both stream-opening tools: the stream, its stores and the call's own record. */
import type { OpenMarketStreamResult } from '../../../schemas/temporal/market.js';
import { simulatedNotice } from './simulated-notice.js';

export function streamToolResult({ result, workflowId }: { result: OpenMarketStreamResult; workflowId: string }) {
  return {
    exchange: result.exchange,
    simulated: result.simulated,
    notice: simulatedNotice(result.simulated),
    symbols: result.symbols,
    interval_sec: result.interval_sec,
    requested_interval_sec: result.requested_interval_sec,
    attached: result.attached,
    store_workflow_ids: result.store_workflow_ids,
    request_workflow_id: workflowId,
    workflow_id: result.stream_workflow_id,
    run_id: result.stream_run_id,
  };
}
