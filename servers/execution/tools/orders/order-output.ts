/** The order as every order tool reports it: its state and the run that holds it. */
import type { PaperOrderState } from '../../../../schemas/temporal/orders.js';

export function orderOutput(order: PaperOrderState, runId: string) {
  return { ...order, run_id: runId };
}
