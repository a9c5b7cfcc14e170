/**
 * The client side of the paper-order workflow (one per client_order_id): the only way anything
 * (the execution tools, the intent bus's execution subscriber, benchmarks, test drivers) starts,
 * places, reads or cancels an order.
 */
export { startOrder } from './start-order.js';
export { placeOrder, type PlacedOrder } from './placement.js';
export { finishedOrder, queryOrder, readOrder, type OrderRead } from './read-order.js';
export { cancelOrder, type CancelOutcome } from './cancellation.js';
