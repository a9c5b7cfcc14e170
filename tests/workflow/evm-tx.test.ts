/**
 * evmTransactionWorkflow and nonceAllocatorWorkflow against a real local chain (anvil) and the
 * real Temporal dev server: exactly one transaction per idempotency key, nonces that never
 * collide, refusals recorded before anything is signed, recovery when the chain's nonce moved
 * elsewhere, and no trace of the key in any history.
 */
import { Worker } from '@temporalio/worker';
import { parseEther, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { allocationByHashQuery, nonceAllocatorWorkflowId, evmTxWorkflowId } from '../../schemas/temporal/transactions.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAnvil, type Anvil, type DevAccount } from '../../scripts/chain/anvil.js';
import { encryptKeystoreV3 } from '../helpers/evm-keystore.js';
import { findKey, scanHistoriesForKey } from '../helpers/evm-secret-scan.js';
import { allocatorStatus, evmWorkerEnv, scheduledActivities, sendTx, txRequest } from '../helpers/evm-tx-driver.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';

const PER_TX_CAP = parseEther('3');
const DAILY_CAP = parseEther('5');
const SIGNER_FUNDS = parseEther('10');
/** Bytecode that reverts on any call: PUSH1 0 PUSH1 0 REVERT. */
const REVERTING_CODE = '0x60006000fd';
/** Bytecode that accepts any call and value: a lone STOP would end at once, so JUMPDEST STOP. */
const ACCEPTING_CODE = '0x5b00';
const CONTINUE_AS_NEW_AFTER = 8;

let anvil: Anvil;
let worker: RunningWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;
let signer: DevAccount;
let recipient: Address;
let stranger: Address;
const reverter: Address = '0x00000000000000000000000000000000000000aa';
const sink: Address = '0x00000000000000000000000000000000000000bb';
const taskQueue = uniqueTaskQueue('evm-tx');
const sentKeys: string[] = [];

beforeAll(async () => {
  anvil = await startAnvil();
  signer = await anvil.fundedKey(SIGNER_FUNDS);
  recipient = (anvil.accounts[1] as DevAccount).address;
  stranger = (anvil.accounts[2] as DevAccount).address;
  await anvil.request('anvil_setCode', [reverter, REVERTING_CODE]);
  await anvil.request('anvil_setCode', [sink, ACCEPTING_CODE]);
  worker = await startTestWorker(
    taskQueue,
    evmWorkerEnv({
      anvil,
      privateKey: signer.privateKey,
      recipients: [recipient, reverter, sink],
      maxValueWei: PER_TX_CAP,
      maxDailyValueWei: DAILY_CAP,
      extraChains: { 999: 'http://127.0.0.1:9' },
      allowedChains: [anvil.chainId],
      extra: { EVM_NONCE_CONTINUE_AS_NEW_AFTER: String(CONTINUE_AS_NEW_AFTER) },
    }),
  );
  temporal = await testClient();
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await anvil?.stop();
});

const balanceOf = (address: Address) => anvil.publicClient.getBalance({ address });
const chainNonce = () => anvil.publicClient.getTransactionCount({ address: signer.address });
const send = (key: string, to: string, value: bigint, data: string | null = null) => {
  sentKeys.push(key);
  return sendTx(temporal.client, taskQueue, txRequest(key, anvil.chainId, to, value, data));
};

describe('exactly once per idempotency_key', () => {
  it('moves the value once however often, and however concurrently, the same key is sent', async () => {
    const value = parseEther('0.25');
    const before = await balanceOf(recipient);
    const nonceBefore = await chainNonce();

    const first = await send('once-1', recipient, value);
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => send('once-1', recipient, value)));
    const later = await send('once-1', recipient, value);

    expect(first).toMatchObject({ status: 'confirmed', duplicate: false, from: signer.address, nonce: nonceBefore, to: recipient, value_wei: value.toString() });
    expect(first.tx_hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(first.receipt).toMatchObject({ status: 'success', gas_used: 21_000 });
    for (const again of [...concurrent, later]) expect(again).toEqual({ ...first, duplicate: true });

    expect((await balanceOf(recipient)) - before).toBe(value);
    expect(await chainNonce()).toBe(nonceBefore + 1);
    const onChain = await anvil.publicClient.getTransaction({ hash: first.tx_hash as `0x${string}` });
    expect(onChain).toMatchObject({ from: signer.address.toLowerCase(), to: recipient.toLowerCase(), value, nonce: nonceBefore });
    // One signature, one broadcast: the duplicates never reached the signer.
    const activities = await scheduledActivities(temporal.client, evmTxWorkflowId('once-1'));
    expect(activities.filter((a) => a === 'signEvmTx')).toHaveLength(1);
    expect(activities.filter((a) => a === 'broadcastEvmTx')).toHaveLength(1);
  });

  it('gives concurrent transactions distinct, consecutive nonces', async () => {
    const start = await chainNonce();
    const keys = ['seq-a', 'seq-b', 'seq-c', 'seq-d'];
    const records = await Promise.all(keys.map((key) => send(key, recipient, 1_000n)));
    expect(records.map((r) => r.status)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed']);
    expect(records.map((r) => r.nonce).sort()).toEqual([start, start + 1, start + 2, start + 3]);
    expect(new Set(records.map((r) => r.tx_hash)).size).toBe(4);
    expect(await chainNonce()).toBe(start + 4);
    const allocator = await allocatorStatus(temporal.client, anvil.chainId, signer.address);
    expect(allocator).toMatchObject({ next: start + 4, released: [] });
  });

  it('sends a contract call with its data, with gas headroom above the estimate', async () => {
    const record = await send('call-1', sink, 0n, '0x12345678');
    expect(record.status).toBe('confirmed');
    const onChain = await anvil.publicClient.getTransaction({ hash: record.tx_hash as `0x${string}` });
    expect(onChain.input).toBe('0x12345678');
    expect(Number(record.gas_limit)).toBeGreaterThan(record.receipt?.gas_used ?? Infinity);
  });
});

describe('refusals are recorded decisions, made before anything is signed', () => {
  it.each([
    ['a chain with an RPC but not in EVM_ALLOWED_CHAINS', () => txRequest('refuse-chain-1', 999, recipient, 1n), 'CHAIN_NOT_ALLOWED', /chain 999 \(extra 999\) is not in EVM_ALLOWED_CHAINS \(allowed chains: 31337\)/],
    ['a chain without an RPC', () => txRequest('refuse-chain-2', 5, recipient, 1n), 'CHAIN_NOT_ALLOWED', /chain 5 is not configured: EVM_CHAINS has no RPC for it/],
    ['a recipient outside the allowlist', () => txRequest('refuse-recipient', anvil.chainId, stranger, 1n), 'RECIPIENT_NOT_ALLOWED', /recipient 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC is not in EVM_ALLOWED_RECIPIENTS/],
    ['a value one wei above the per-transaction cap', () => txRequest('refuse-value', anvil.chainId, recipient, PER_TX_CAP + 1n), 'VALUE_ABOVE_CAP', /value 3000000000000000001 wei is above the per-transaction cap EVM_MAX_VALUE_WEI=3000000000000000000/],
  ] as const)('%s', async (_label, request, code, reason) => {
    const nonceBefore = await chainNonce();
    const req = request();
    sentKeys.push(req.idempotency_key);
    const record = await sendTx(temporal.client, taskQueue, req);
    expect(record).toMatchObject({ status: 'refused', reason_code: code, tx_hash: null, nonce: null });
    expect(record.reason).toMatch(reason);
    const activities = await scheduledActivities(temporal.client, evmTxWorkflowId(req.idempotency_key));
    expect(activities).toEqual([]);
    expect(await chainNonce()).toBe(nonceBefore);
    // The same key keeps the same answer.
    expect(await sendTx(temporal.client, taskQueue, req)).toEqual({ ...record, duplicate: true });
  });

  it('refuses a value above the balance after asking the chain, without signing', async () => {
    const nonceBefore = await chainNonce();
    const funds = await balanceOf(signer.address);
    await anvil.setBalance(signer.address, parseEther('0.5'));
    try {
      const record = await send('refuse-funds', recipient, parseEther('1'));
      expect(record).toMatchObject({ status: 'refused', reason_code: 'INSUFFICIENT_FUNDS', tx_hash: null, nonce: null });
      expect(record.reason).toContain(`the signing address ${signer.address} holds 500000000000000000 wei on chain 31337, less than the value of 1000000000000000000 wei`);
      expect(await scheduledActivities(temporal.client, evmTxWorkflowId('refuse-funds'))).toEqual(['prepareEvmTx']);
    } finally {
      await anvil.setBalance(signer.address, funds);
    }
    expect(await chainNonce()).toBe(nonceBefore);
  });

  it('refuses a call that reverts in simulation, without signing', async () => {
    const nonceBefore = await chainNonce();
    const record = await send('refuse-revert', reverter, 0n, '0xdeadbeef');
    expect(record).toMatchObject({ status: 'refused', reason_code: 'SIMULATION_REVERTED', tx_hash: null, nonce: null });
    expect(record.reason).toMatch(/^eth_call of the transaction failed, so it was not signed: .*revert/i);
    expect(await scheduledActivities(temporal.client, evmTxWorkflowId('refuse-revert'))).toEqual(['prepareEvmTx']);
    expect(await chainNonce()).toBe(nonceBefore);
  });

  it("refuses what would exceed the day's total, counting only what was sent", async () => {
    const spentBefore = BigInt((await allocatorStatus(temporal.client, anvil.chainId, signer.address)).spent_today.value_wei);
    expect(spentBefore).toBeLessThan(parseEther('1'));
    expect((await send('daily-1', recipient, parseEther('2'))).status).toBe('confirmed');
    expect((await send('daily-2', recipient, parseEther('2'))).status).toBe('confirmed');
    const nonceBefore = await chainNonce();
    const refused = await send('daily-3', recipient, parseEther('1.5'));
    expect(refused).toMatchObject({ status: 'refused', reason_code: 'DAILY_CAP_EXCEEDED', tx_hash: null, nonce: null });
    expect(refused.reason).toContain(`above EVM_MAX_DAILY_VALUE_WEI=${DAILY_CAP}`);
    expect(await scheduledActivities(temporal.client, evmTxWorkflowId('daily-3'))).toEqual(['prepareEvmTx', 'allocateEvmNonce']);
    expect(await chainNonce()).toBe(nonceBefore);
    const allocator = await allocatorStatus(temporal.client, anvil.chainId, signer.address);
    expect(BigInt(allocator.spent_today.value_wei)).toBe(spentBefore + parseEther('4'));
    expect(allocator.next).toBe(nonceBefore);
  });
});

describe('the chain moved on without the stack', () => {
  it('re-signs with a fresh nonce only when the chain proves the old transaction can never be mined', async () => {
    const nonce = await chainNonce();
    // Another wallet holding the same key takes the nonce the allocator will hand out next.
    const outside = await anvil.wallet(signer.privateKey as `0x${string}`).sendTransaction({ to: recipient, value: 1n, nonce });
    await anvil.publicClient.waitForTransactionReceipt({ hash: outside });

    const record = await send('after-outside', recipient, 7n);
    expect(record).toMatchObject({ status: 'confirmed', nonce: nonce + 1 });
    const activities = await scheduledActivities(temporal.client, evmTxWorkflowId('after-outside'));
    expect(activities.filter((a) => a === 'signEvmTx')).toHaveLength(2);
    expect(activities.filter((a) => a === 'allocateEvmNonce')).toHaveLength(2);
    expect(await chainNonce()).toBe(nonce + 2);
    const mined = await anvil.publicClient.getTransaction({ hash: record.tx_hash as `0x${string}` });
    expect(mined).toMatchObject({ value: 7n, nonce: nonce + 1 });
  });
});

describe('the nonce allocator', () => {
  it('continues as new with its sequence and its memory of hashes', async () => {
    const handle = temporal.client.workflow.getHandle(nonceAllocatorWorkflowId(anvil.chainId, signer.address));
    const firstRun = (await temporal.client.workflow.getHandle(evmTxWorkflowId('once-1')).result()) as { tx_hash: string };
    // More than CONTINUE_AS_NEW_AFTER updates have been handled by now.
    const runs: string[] = [];
    for await (const execution of temporal.client.workflow.list({ query: `WorkflowId="${handle.workflowId}"` })) runs.push(execution.status.name);
    expect(runs).toContain('CONTINUED_AS_NEW');
    expect(runs.filter((s) => s === 'RUNNING')).toHaveLength(1);

    const remembered = await handle.query(allocationByHashQuery, firstRun.tx_hash);
    expect(remembered).toMatchObject({ idempotency_key: 'once-1', tx_hash: firstRun.tx_hash });
    const nonce = await chainNonce();
    expect((await send('after-continue', recipient, 3n)).nonce).toBe(nonce);
  });
});

describe('a worker whose key comes from a V3 keystore', () => {
  it('signs as the keystore address, and neither key nor password reaches a history', async () => {
    const owner = await anvil.fundedKey(parseEther('1'));
    const password = 'keystore-password-5b1f';
    const path = join(mkdtempSync(join(tmpdir(), 'dca-evm-keystore-')), 'signer.json');
    writeFileSync(path, JSON.stringify(encryptKeystoreV3(owner.privateKey, password, { kdf: 'scrypt' })));
    const queue = uniqueTaskQueue('evm-tx-keystore');
    const keystoreWorker = await startTestWorker(queue, {
      ...evmWorkerEnv({ anvil, recipients: [recipient], maxValueWei: parseEther('1') }),
      EVM_KEYSTORE_PATH: path,
      EVM_KEYSTORE_PASSWORD: password,
    });
    try {
      const record = await sendTx(temporal.client, queue, txRequest('keystore-1', anvil.chainId, recipient, 11n));
      expect(record).toMatchObject({ status: 'confirmed', from: owner.address, nonce: 0 });
      const scan = await scanHistoriesForKey(temporal.client, queue, owner.privateKey);
      expect(scan.leaks).toEqual([]);
      expect(scan.runs).toBeGreaterThanOrEqual(2);
      const histories = [];
      for await (const h of temporal.client.workflow.list({ query: `TaskQueue="${queue}"` }).intoHistories()) histories.push(h.history);
      expect(findKey(histories, Buffer.from(password).toString('hex'))).toEqual([]);
    } finally {
      await keystoreWorker.stop();
    }
  });
});

describe('determinism', () => {
  it('replays every history of this file (transactions, allocator runs) without a determinism error', async () => {
    const replays = Worker.runReplayHistories(
      { workflowBundle: { codePath: inject('workflowBundlePath') } },
      temporal.client.workflow.list({ query: `TaskQueue="${taskQueue}" AND ExecutionStatus!="Running"` }).intoHistories(),
    );
    const types = new Set<string>();
    let replayed = 0;
    for await (const result of replays) {
      expect(result.error, `${result.workflowId}: ${String(result.error)}`).toBeUndefined();
      types.add(result.workflowId.split(':')[0] as string);
      replayed += 1;
    }
    expect(replayed).toBeGreaterThanOrEqual(new Set(sentKeys).size);
    expect([...types].sort()).toEqual(['evm-nonce', 'tx']);
  });
});

describe('the signing key', () => {
  it('appears in no workflow history of this file', async () => {
    const scan = await scanHistoriesForKey(temporal.client, taskQueue, signer.privateKey);
    expect(scan.leaks).toEqual([]);
    expect(scan.runs).toBeGreaterThanOrEqual(new Set(sentKeys).size);
    expect(scan.events).toBeGreaterThan(100);
  });
});
