/**
 * The smallest possible workflow: proves a worker is polling the task queue end to end, and gives
 * the bare Temporal round trip that tool latencies are compared against.
 */
export async function pingWorkflow(nonce: string): Promise<string> {
  return nonce;
}
