/**
 * The real worker process (`node --import tsx worker/main.ts`) killed with SIGKILL while a signed
 * transaction is being broadcast, then restarted: the recorded bytes are re-sent, nothing is
 * signed again, and the chain holds exactly one transaction whichever side of the send the worker
 * died on.
 */
import { parseEther, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { evmTxStateQuery } from '../../schemas/temporal/transactions.js';
import { startEvmTransaction } from '../../temporal/clients/evm-transaction.js';
import { startWorkerProcess, type WorkerProcess } from '../../scripts/stack/worker-process.js';
import { startAnvil, type Anvil, type DevAccount } from '../../scripts/chain/anvil.js';
import { startRpcProxy, type RpcProxy, type SendMode } from '../helpers/evm-rpc-proxy.js';
import { findKey, scanHistoriesForKey } from '../helpers/evm-secret-scan.js';
import { evmWorkerEnv, scheduledActivities, txRequest } from '../helpers/evm-tx-driver.js';
import { eventually } from '../helpers/eventually.js';
import { testClient } from '../helpers/temporal-client.js';
import { uniqueTaskQueue } from '../helpers/test-worker.js';

let anvil: Anvil;
let proxy: RpcProxy;
let temporal: Awaited<ReturnType<typeof testClient>>;
let recipient: Address;
const running: WorkerProcess[] = [];

beforeAll(async () => {
  anvil = await startAnvil();
  proxy = await startRpcProxy(anvil.rpcUrl);
  recipient = (anvil.accounts[1] as DevAccount).address;
  temporal = await testClient();
});

afterAll(async () => {
  await Promise.all(running.map((w) => w.stop()));
  await proxy?.close();
  await temporal?.close();
  await anvil?.stop();
});

/** The worker's own environment: nothing inherited from the test process but what Node needs to run. */
function workerEnv(taskQueue: string, signer: DevAccount): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(EVM_|TEMPORAL_|INBOX_)/.test(k)));
  return {
    ...inherited,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    ...evmWorkerEnv({ anvil, rpcUrl: proxy.url, privateKey: signer.privateKey, recipients: [recipient], maxValueWei: parseEther('1') }),
  };
}

async function startWorker(env: NodeJS.ProcessEnv, log: string[]): Promise<WorkerProcess> {
  const worker = await startWorkerProcess(env, (line) => log.push(line), 120_000);
  running.push(worker);
  return worker;
}

async function kill(worker: WorkerProcess): Promise<void> {
  process.kill(worker.pid, 'SIGKILL');
  await worker.exited;
}

/** True once the history holds the completed signature: the hash is recorded. */
async function signatureRecorded(workflowId: string): Promise<boolean> {
  const history = await temporal.client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const signScheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'signEvmTx');
  return events.some((e) => e.activityTaskCompletedEventAttributes && String(e.activityTaskCompletedEventAttributes.scheduledEventId) === String(signScheduled?.eventId));
}

describe.each([
  ['before the chain saw the transaction', 'swallow'],
  ['after the chain took the transaction', 'relay-then-hang'],
] as const)('a worker killed mid-broadcast, %s', (_label, mode: SendMode) => {
  it(
    'is replaced by a restarted worker that re-sends the recorded bytes: one transaction on chain, value moved once',
    async () => {
      const taskQueue = uniqueTaskQueue(`evm-crash-${mode}`);
      const signer = await anvil.fundedKey(parseEther('2'));
      const env = workerEnv(taskQueue, signer);
      const log: string[] = [];
      const value = parseEther('0.4');
      const recipientBefore = await anvil.publicClient.getBalance({ address: recipient });
      const sendsBefore = proxy.sends;
      const relayedBefore = proxy.relayedSends;
      const key = `crash-${mode}-${crypto.randomUUID().slice(0, 8)}`;
      const request = txRequest(key, anvil.chainId, recipient, value);

      proxy.mode = mode;
      const first = await startWorker(env, log);
      const started = await startEvmTransaction(temporal.client, taskQueue, request);
      // The broadcast is in flight (held by the relay; in the second case, already taken by the
      // chain) and the signature is already in the history.
      await eventually(() => {
        expect(proxy.sends).toBe(sendsBefore + 1);
        expect(proxy.relayedSends).toBe(relayedBefore + (mode === 'swallow' ? 0 : 1));
      }, 60_000);
      expect(await signatureRecorded(started.handle.workflowId)).toBe(true);
      const recorded = await started.handle.query(evmTxStateQuery);
      expect(recorded.status).toBe('signed');
      expect(recorded.tx_hash).toMatch(/^0x[0-9a-f]{64}$/);

      await kill(first);
      const minedBeforeRestart = await anvil.publicClient.getTransactionCount({ address: signer.address });
      expect(minedBeforeRestart).toBe(mode === 'swallow' ? 0 : 1);

      proxy.mode = 'pass';
      const second = await startWorker(env, log);
      const record = await started.handle.result();
      await second.stop();

      expect(record).toMatchObject({ status: 'confirmed', tx_hash: recorded.tx_hash, nonce: 0, from: signer.address });
      expect(await anvil.publicClient.getTransactionCount({ address: signer.address })).toBe(1);
      expect((await anvil.publicClient.getBalance({ address: recipient })) - recipientBefore).toBe(value);
      const mined = await anvil.publicClient.getTransaction({ hash: record.tx_hash as `0x${string}` });
      expect(mined).toMatchObject({ from: signer.address.toLowerCase(), value, nonce: 0 });

      // Signed once; the broadcast was retried, never re-signed.
      const activities = await scheduledActivities(temporal.client, started.handle.workflowId);
      expect(activities.filter((a) => a === 'signEvmTx')).toHaveLength(1);
      expect(activities.filter((a) => a === 'broadcastEvmTx')).toHaveLength(1);
      expect(proxy.sends - sendsBefore).toBe(2);

      const scan = await scanHistoriesForKey(temporal.client, taskQueue, signer.privateKey);
      expect(scan.leaks).toEqual([]);
      expect(scan.runs).toBeGreaterThanOrEqual(2);
      expect(findKey(log.join('\n'), signer.privateKey)).toEqual([]);
    },
    240_000,
  );
});
