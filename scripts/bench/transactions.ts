/**
 * On-chain transaction figures on a local anvil chain: the sign_and_send_tx round trip through the
 * real stdio execution server (policy, simulation, durable nonce, signature, broadcast, receipt),
 * a repeated key answered from the record, and get_tx_status.
 */
import { parseEther } from 'viem';
import { startAnvil } from '../chain/anvil.js';
import { formatMs, percentile, type BenchContext } from './bench-context.js';
import { connectBenchServer, mcpJsonLaunch, serverEnv, startBenchWorker } from './bench-stack.js';

const SENDS = 20;

async function timed<T>(samples: number[], work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  samples.push(performance.now() - started);
  return result;
}

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `median ${formatMs(percentile(sorted, 50))}, p95 ${formatMs(percentile(sorted, 95))} over ${sorted.length}`;
}

export async function benchTransactions(ctx: BenchContext): Promise<void> {
  const anvil = await startAnvil();
  const recipient = anvil.accounts[1]?.address as string;
  const signer = await anvil.fundedKey(parseEther('100'));
  const bench = await startBenchWorker(ctx, 'bench-tx', {
    EVM_CHAINS: JSON.stringify({ [anvil.chainId]: { rpc_url: anvil.rpcUrl, name: 'anvil' } }),
    EVM_PRIVATE_KEY: signer.privateKey,
    EVM_ALLOWED_RECIPIENTS: recipient,
    EVM_MAX_VALUE_WEI: parseEther('1').toString(),
  });
  const mcp = await connectBenchServer(mcpJsonLaunch('execution'), serverEnv(ctx, bench.taskQueue));
  try {
    const sends: number[] = [];
    const repeats: number[] = [];
    const lookups: number[] = [];
    for (let i = 0; i < SENDS; i += 1) {
      const args = { idempotency_key: `bench-${bench.taskQueue}-${i}`, chain_id: anvil.chainId, to: recipient, value_wei: '1000' };
      const sent = await timed(sends, () => mcp.callTool({ name: 'sign_and_send_tx', arguments: args }));
      const status = (sent.structuredContent as { status?: string } | undefined)?.status;
      if (sent.isError || status !== 'confirmed') throw new Error(`send ${i} went wrong: ${JSON.stringify(sent.content)}`);
      const again = await timed(repeats, () => mcp.callTool({ name: 'sign_and_send_tx', arguments: args }));
      if (!(again.structuredContent as { duplicate?: boolean } | undefined)?.duplicate) throw new Error(`repeat ${i} was not answered from the record`);
      const looked = await timed(lookups, () => mcp.callTool({ name: 'get_tx_status', arguments: { idempotency_key: args.idempotency_key } }));
      if (looked.isError) throw new Error(`lookup ${i} went wrong: ${JSON.stringify(looked.content)}`);
    }
    const mined = await anvil.publicClient.getTransactionCount({ address: signer.address });
    ctx.report(`sign_and_send_tx round trip on a local anvil chain, sent to receipt: ${summary(sends)} (${mined} transactions on chain)`);
    ctx.report(`sign_and_send_tx repeated with the same idempotency_key (answered from the record): ${summary(repeats)}`);
    ctx.report(`get_tx_status by idempotency_key (workflow record + chain receipt): ${summary(lookups)}`);
  } finally {
    await mcp.close();
    await bench.stop();
    await anvil.stop();
  }
}
