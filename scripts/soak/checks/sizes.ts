/**
 * Order sizes that differ from round to round by more than the risk gate's duplicate tolerance
 * (1 % by default), so repeated rounds are never mistaken for a repeated order, and whose ranges
 * for the market order, the resting order and the intent never overlap.
 */
const STEPS = 20;

export function notionalFor(kind: 'market' | 'limit' | 'intent', round: number): string {
  const step = round % STEPS;
  const base = { market: 40, limit: 100, intent: 200 }[kind];
  const stride = { market: 2, limit: 4, intent: 8 }[kind];
  return String(base + stride * step);
}

/** A price as a decimal string with six significant digits. */
export function priceText(value: number): string {
  return String(Number(value.toPrecision(6)));
}
