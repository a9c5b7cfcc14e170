/**
 * sign_and_send_tx and get_tx_status through the spawned execution server (mcp.json), with a real
 * worker and a real local chain behind it: results match the output contract, one transaction per
 * key, refusals and bad input answered with a clear isError, a missing key named, and the key in
 * no tool result and no history.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { parseEther, type Address, type Hash } from 'viem';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getTxStatus, signAndSendTx } from '../../schemas/execution-tx.js';
import { evmTxWorkflowId } from '../../schemas/temporal/transactions.js';
import { startAnvil, type Anvil, type DevAccount } from '../../scripts/chain/anvil.js';
import { findKey, scanHistoriesForKey } from '../helpers/evm-secret-scan.js';
import { evmWorkerEnv } from '../helpers/evm-tx-driver.js';
import { connectServer, type ConnectedServer } from '../helpers/mcp-servers.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';
import { toolCaller } from '../helpers/tool-calls.js';

const RECEIPT_TIMEOUT_SEC = 2;

let anvil: Anvil;
let signer: DevAccount;
let recipient: Address;
let temporal: Awaited<ReturnType<typeof testClient>>;
let worker: RunningWorker;
let keylessWorker: RunningWorker;
let server: ConnectedServer;
let keylessServer: ConnectedServer;
const taskQueue = uniqueTaskQueue('execution-tx');
const keylessQueue = uniqueTaskQueue('execution-tx-keyless');
/** Every tool result of this file, scanned for the key at the end. */
const results: CallToolResult[] = [];

beforeAll(async () => {
  anvil = await startAnvil();
  signer = await anvil.fundedKey(parseEther('5'));
  recipient = (anvil.accounts[1] as DevAccount).address;
  const settings = { anvil, recipients: [recipient], maxValueWei: parseEther('1'), receiptTimeoutSec: RECEIPT_TIMEOUT_SEC };
  [worker, keylessWorker, temporal] = await Promise.all([
    startTestWorker(taskQueue, evmWorkerEnv({ ...settings, privateKey: signer.privateKey })),
    startTestWorker(keylessQueue, evmWorkerEnv(settings)),
    testClient(),
  ]);
  [server, keylessServer] = await Promise.all([
    connectServer('execution', { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue }),
    connectServer('execution', { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: keylessQueue }),
  ]);
});

afterAll(async () => {
  await Promise.all([server?.close(), keylessServer?.close()]);
  await Promise.all([worker?.stop(), keylessWorker?.stop()]);
  await temporal?.close();
  await anvil?.stop();
});

/** Every result is kept: the suite scans them all for the signing key at the end. */
const via = (target: ConnectedServer) => toolCaller(() => target.client, { timeoutMs: 90_000, onResult: (r) => results.push(r) });
const succeed = <T>(name: string, args: Record<string, unknown>, output: { strict(): { parse(v: unknown): T } }) => via(server).succeed(name, args, output);
const fail = (name: string, args: Record<string, unknown>, target: ConnectedServer = server) => via(target).fail(name, args);

const send = (key: string, value: bigint, to: string = recipient) => ({
  idempotency_key: key,
  chain_id: anvil.chainId,
  to,
  value_wei: value.toString(),
});

describe('sign_and_send_tx and get_tx_status', () => {
  it('sends once per key, reports the receipt, and finds the transaction by key and by hash', async () => {
    const before = await anvil.publicClient.getBalance({ address: recipient });
    const value = parseEther('0.3');
    const sent = await succeed('sign_and_send_tx', send('contract-1', value), signAndSendTx.output);
    expect(sent).toMatchObject({
      idempotency_key: 'contract-1',
      chain_id: anvil.chainId,
      status: 'confirmed',
      reason_code: null,
      from: signer.address,
      to: recipient,
      value_wei: value.toString(),
      nonce: 0,
      gas_used: 21_000,
      duplicate: false,
      workflow_id: evmTxWorkflowId('contract-1'),
    });
    expect(sent.block_number).toBeGreaterThan(0);
    expect(BigInt(sent.effective_gas_price_wei ?? '0')).toBeGreaterThan(0n);
    const run = await temporal.client.workflow.getHandle(sent.workflow_id, sent.run_id).describe();
    expect(run.status.name).toBe('COMPLETED');

    const again = await succeed('sign_and_send_tx', send('contract-1', value), signAndSendTx.output);
    expect(again).toEqual({ ...sent, duplicate: true });
    expect((await anvil.publicClient.getBalance({ address: recipient })) - before).toBe(value);

    const conflict = await fail('sign_and_send_tx', send('contract-1', value + 1n));
    expect(conflict).toMatch(/^IDEMPOTENCY_CONFLICT: idempotency_key was already used for a different request \(workflow tx:contract-1\)/);

    const byKey = await succeed('get_tx_status', { idempotency_key: 'contract-1' }, getTxStatus.output);
    const byHash = await succeed('get_tx_status', { tx_hash: sent.tx_hash, chain_id: anvil.chainId }, getTxStatus.output);
    const { duplicate: _duplicate, ...view } = sent;
    expect(byKey).toEqual({ ...view, confirmations: 1 });
    expect(byHash).toEqual(byKey);
    // Upper-case hex finds it too.
    const upper = await succeed('get_tx_status', { tx_hash: `0x${(sent.tx_hash ?? '').slice(2).toUpperCase()}` }, getTxStatus.output);
    expect(upper.idempotency_key).toBe('contract-1');
  });

  it("reports 'pending' when no receipt comes in time, and get_tx_status sees it mined later", async () => {
    await anvil.setAutomine(false);
    let sent;
    try {
      sent = await succeed('sign_and_send_tx', send('contract-pending', 5n), signAndSendTx.output);
      expect(sent).toMatchObject({ status: 'pending', nonce: 1, block_number: null, gas_used: null });
      expect(sent.reason).toMatch(new RegExp(`^no receipt within ${RECEIPT_TIMEOUT_SEC} s; the transaction was sent`));
      expect(sent.tx_hash).toMatch(/^0x[0-9a-f]{64}$/);
      const stillPending = await succeed('get_tx_status', { idempotency_key: 'contract-pending' }, getTxStatus.output);
      expect(stillPending).toMatchObject({ status: 'pending', confirmations: null });
      await anvil.mine(3);
    } finally {
      await anvil.setAutomine(true);
    }
    const mined = await succeed('get_tx_status', { idempotency_key: 'contract-pending' }, getTxStatus.output);
    expect(mined).toMatchObject({ status: 'confirmed', tx_hash: sent.tx_hash, reason: null, confirmations: 3, gas_used: 21_000 });
  });

  it('reports a transaction this stack did not send from the chain alone', async () => {
    const outsider = anvil.accounts[0] as DevAccount;
    const hash = await anvil.wallet(outsider.privateKey).sendTransaction({ to: recipient, value: 42n });
    await anvil.publicClient.waitForTransactionReceipt({ hash });
    const status = await succeed('get_tx_status', { tx_hash: hash }, getTxStatus.output);
    expect(status).toMatchObject({
      idempotency_key: null,
      status: 'confirmed',
      from: outsider.address.toLowerCase(),
      to: recipient.toLowerCase(),
      value_wei: '42',
      tx_hash: hash,
      workflow_id: null,
      run_id: null,
      confirmations: 1,
    });
  });
});

describe('refusals come back as isError with their reason', () => {
  it.each([
    ['a recipient outside the allowlist', () => send('refused-recipient', 1n, (anvil.accounts[2] as DevAccount).address), /^RECIPIENT_NOT_ALLOWED: refused before signing: recipient 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC is not in EVM_ALLOWED_RECIPIENTS/],
    ['an unknown chain', () => ({ ...send('refused-chain', 1n), chain_id: 999 }), /^CHAIN_NOT_ALLOWED: refused before signing: chain 999 is not configured: EVM_CHAINS has no RPC for it \(allowed chains: 31337\)/],
    ['a value above the cap', () => send('refused-value', parseEther('1') + 1n), /^VALUE_ABOVE_CAP: refused before signing: value 1000000000000000001 wei is above the per-transaction cap EVM_MAX_VALUE_WEI=1000000000000000000/],
    ['a value above the balance', () => send('refused-funds', parseEther('0.9'), recipient), null],
  ])('%s', async (_label, args, expected) => {
    const request = args();
    if (expected === null) await anvil.setBalance(signer.address, parseEther('0.5'));
    try {
      const message = await fail('sign_and_send_tx', request);
      expect(message).toMatch(expected ?? /^INSUFFICIENT_FUNDS: refused before signing: the signing address .* holds 500000000000000000 wei/);
      expect(message).toContain(`(workflow ${evmTxWorkflowId(request.idempotency_key)})`);
      expect(message).toContain('Nothing was signed or sent.');
      expect(message).toContain('Retrying the same call will not help.');
    } finally {
      if (expected === null) await anvil.setBalance(signer.address, parseEther('5'));
    }
    // The refusal is on record: asking about the key says so.
    const status = await succeed('get_tx_status', { idempotency_key: request.idempotency_key }, getTxStatus.output);
    expect(status).toMatchObject({ status: 'refused', tx_hash: null, nonce: null });
  });

  it('names the variables to set when the worker holds no key', async () => {
    const message = await fail('sign_and_send_tx', send('keyless-1', 1n), keylessServer);
    expect(message).toMatch(/^SIGNER_NOT_CONFIGURED: refused before signing: the worker holds no signing key: set EVM_PRIVATE_KEY, or EVM_KEYSTORE_PATH and EVM_KEYSTORE_PASSWORD, in the worker's environment and restart it/);
  });
});

describe('bad input is answered with a clear isError', () => {
  const valid = () => send('bad-input', 1n);
  it.each([
    ['a short address', { to: '0x1234' }, /to: use a 0x-prefixed 20-byte hex address \(42 characters\)/],
    ['an address without 0x', { to: '70997970C51812dc3A010C7d01b50e0d17dc79C8' }, /to: use a 0x-prefixed 20-byte hex address/],
    ['a negative value', { value_wei: '-1' }, /value_wei: use a whole number of wei as a decimal string without sign or decimals/],
    ['a fractional value', { value_wei: '1.5' }, /value_wei: use a whole number of wei/],
    ['a value in exponent notation', { value_wei: '1e18' }, /value_wei: use a whole number of wei/],
    ['a value as a JSON number', { value_wei: 1000 }, /value_wei: .*string/],
    ['a value above 2^256 - 1', { value_wei: (2n ** 256n).toString() }, /value_wei: must fit in 256 bits/],
    ['data with an odd number of digits', { data: '0x123' }, /data: use 0x-prefixed hex with an even number of digits/],
    ['data that is not hex', { data: '0xzz' }, /data: use 0x-prefixed hex/],
    ['chain_id 0', { chain_id: 0 }, /chain_id: .*>=1/],
    ['chain_id as a string', { chain_id: '31337' }, /chain_id: .*number/],
    ['a fractional chain_id', { chain_id: 1.5 }, /chain_id: .*int/],
    ['an idempotency_key with spaces', { idempotency_key: 'has spaces' }, /idempotency_key: use 1-128 characters/],
    ['a private key in the arguments', { private_key: `0x${'11'.repeat(32)}` }, /Unrecognized key: "private_key"/],
  ] as const)('sign_and_send_tx with %s', async (_label, change, expected) => {
    const message = await fail('sign_and_send_tx', { ...valid(), ...change });
    expect(message).toMatch(/^INVALID_INPUT: /);
    expect(message).toMatch(expected);
    expect(message).toContain('Fix the arguments as described and call again.');
  });

  it('sign_and_send_tx without an idempotency_key', async () => {
    const { idempotency_key: _key, ...rest } = valid();
    expect(await fail('sign_and_send_tx', rest)).toMatch(/^INVALID_INPUT: idempotency_key: /);
  });

  it.each([
    ['neither key nor hash', {}, /^INVALID_INPUT: \(arguments\): give exactly one of idempotency_key or tx_hash/],
    ['both key and hash', { idempotency_key: 'x', tx_hash: `0x${'ab'.repeat(32)}` }, /give exactly one of idempotency_key or tx_hash/],
    ['a short hash', { tx_hash: '0xabcd' }, /tx_hash: use a 0x-prefixed 32-byte hex transaction hash \(66 characters\)/],
    ['a chain_id of -1', { tx_hash: `0x${'ab'.repeat(32)}`, chain_id: -1 }, /chain_id: .*>=1/],
  ] as const)('get_tx_status with %s', async (_label, args, expected) => {
    expect(await fail('get_tx_status', args)).toMatch(expected);
  });

  it.each([
    ['a key never used', { idempotency_key: 'never-sent' }, 'TX_NOT_FOUND: no transaction was sent with idempotency_key never-sent.'],
    ['a hash nobody sent', { tx_hash: `0x${'ab'.repeat(32)}` }, `TX_NOT_FOUND: transaction 0x${'ab'.repeat(32)} is neither remembered by this stack nor found on chain 31337.`],
    ['a chain without an RPC', { tx_hash: `0x${'ab'.repeat(32)}`, chain_id: 5 }, "TX_NOT_FOUND: chain 5 has no RPC in the worker's EVM_CHAINS (configured: 31337)."],
  ])('get_tx_status for %s', async (_label, args, expected) => {
    const message = await fail('get_tx_status', args);
    expect(message.startsWith(expected)).toBe(true);
    expect(message).toContain('Retrying the same call will not help.');
  });
});

describe('the signing key', () => {
  it('appears in no tool result and no workflow history', async () => {
    expect(results.length).toBeGreaterThan(30);
    expect(findKey(results, signer.privateKey)).toEqual([]);
    for (const queue of [taskQueue, keylessQueue]) {
      const scan = await scanHistoriesForKey(temporal.client, queue, signer.privateKey);
      expect(scan.leaks).toEqual([]);
      expect(scan.runs).toBeGreaterThan(0);
    }
    // The scan does read payloads: the transaction hash, recorded in the history, is found.
    const { tx_hash } = signAndSendTx.output.parse(results.find((r) => !r.isError && (r.structuredContent as { tx_hash?: string })?.tx_hash)?.structuredContent);
    const positive = await scanHistoriesForKey(temporal.client, taskQueue, tx_hash as Hash);
    expect(positive.leaks.length).toBeGreaterThan(0);
  });
});
