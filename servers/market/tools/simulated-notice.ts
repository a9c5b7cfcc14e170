/** The label every price from the simulated venue carries in a market tool's answer. */
export function simulatedNotice(simulated: boolean): string | null {
  return simulated ? 'Simulated prices from the embedded sim venue (seeded model); not a real market.' : null;
}
