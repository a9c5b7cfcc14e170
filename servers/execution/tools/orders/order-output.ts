import type { PaperOrderState } from '../../../../schemas/temporal/orders.js';

/** An order as the tools report it: a rejection always carries its risk fields (empty when not the gate's). */
export function orderOutput(order: PaperOrderState, runId: string) {
  const rejection = order.rejection && { ...order.rejection, risk_check_id: order.rejection.risk_check_id ?? null, reasons: order.rejection.reasons ?? [] };
  return { ...order, rejection, run_id: runId };
}
