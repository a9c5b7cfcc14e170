/**
 * Everything decided before a transaction is signed, asked of the chain itself: that the RPC
 * serves the chain it is configured for, that the signer can pay, that the call succeeds in
 * simulation (eth_call, then eth_estimateGas), and what gas limit and fees to sign with.
 * A "no" from the chain is returned as a refusal; an unreachable RPC is thrown for retry.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { Eip1559FeesNotSupportedError, isAddress, type Address, type Hex } from 'viem';
import type { EvmFees, RefusalCode, TxDecision } from '../../../../schemas/temporal/transactions.js';
import type { ChainClient, ChainClients } from './chain-clients.js';
import { INSUFFICIENT_FUNDS, rpcDecisionOrThrow } from './rpc-errors.js';

export interface PrepareEvmTxRequest {
  chain_id: number;
  from: string;
  to: string;
  value_wei: string;
  data: string | null;
}

export type PrepareEvmTxResult =
  | { ok: true; gas_limit: string; fees: EvmFees; balance_wei: string }
  | { ok: false; refusal: TxDecision<RefusalCode> };

/** A plain transfer's gas is exact; anything else gets headroom for state that moves before inclusion. */
const PLAIN_TRANSFER_GAS = 21_000n;
const GAS_HEADROOM_PERCENT = 20n;

async function ask<T>(chainId: number, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const said = rpcDecisionOrThrow(err, chainId, what);
    throw ApplicationFailure.create({ type: 'RpcError', message: `the RPC of chain ${chainId} answered ${what} with an error: ${said}`, nonRetryable: false });
  }
}

async function currentFees(client: ChainClient, chainId: number): Promise<EvmFees> {
  try {
    const fees = await client.estimateFeesPerGas({ type: 'eip1559' });
    return {
      type: 'eip1559',
      max_fee_per_gas_wei: fees.maxFeePerGas.toString(),
      max_priority_fee_per_gas_wei: fees.maxPriorityFeePerGas.toString(),
    };
  } catch (err) {
    // A chain without EIP-1559 (no base fee in its blocks) is priced the legacy way.
    if (!(err instanceof Eip1559FeesNotSupportedError)) rpcDecisionOrThrow(err, chainId, 'the fee estimate');
    const gasPrice = await ask(chainId, 'eth_gasPrice', () => client.getGasPrice());
    return { type: 'legacy', max_fee_per_gas_wei: gasPrice.toString(), max_priority_fee_per_gas_wei: null };
  }
}

export async function prepareEvmTx(clients: ChainClients, req: PrepareEvmTxRequest): Promise<PrepareEvmTxResult> {
  const refuse = (code: RefusalCode, reason: string): PrepareEvmTxResult => ({ ok: false, refusal: { code, reason } });
  if (!isAddress(req.to, { strict: true })) {
    return refuse(
      'INVALID_ADDRESS_CHECKSUM',
      `recipient ${req.to} fails its EIP-55 checksum (the mix of upper and lower case is wrong); check the address, or write it all in lowercase`,
    );
  }
  const client = clients.client(req.chain_id);
  const served = await ask(req.chain_id, 'eth_chainId', () => client.getChainId());
  if (served !== req.chain_id) {
    return refuse('RPC_CHAIN_MISMATCH', `the RPC configured for chain ${req.chain_id} serves chain ${served}; the operator must fix EVM_CHAINS`);
  }

  const from = req.from as Address;
  const value = BigInt(req.value_wei);
  const balance = await ask(req.chain_id, 'eth_getBalance', () => client.getBalance({ address: from }));
  if (balance < value) {
    return refuse('INSUFFICIENT_FUNDS', `the signing address ${from} holds ${balance} wei on chain ${req.chain_id}, less than the value of ${value} wei`);
  }

  const call = { account: from, to: req.to as Address, value, ...(req.data ? { data: req.data as Hex } : {}) };
  const simulationRefusal = (err: unknown, what: string): PrepareEvmTxResult => {
    const said = rpcDecisionOrThrow(err, req.chain_id, what);
    return INSUFFICIENT_FUNDS.test(said)
      ? refuse('INSUFFICIENT_FUNDS', `${what} says the signing address ${from} cannot pay: ${said}`)
      : refuse('SIMULATION_REVERTED', `${what} of the transaction failed, so it was not signed: ${said}`);
  };
  try {
    await client.call(call);
  } catch (err) {
    return simulationRefusal(err, 'eth_call');
  }
  let estimate: bigint;
  try {
    estimate = await client.estimateGas(call);
  } catch (err) {
    return simulationRefusal(err, 'eth_estimateGas');
  }
  const gasLimit = estimate <= PLAIN_TRANSFER_GAS ? estimate : estimate + (estimate * GAS_HEADROOM_PERCENT) / 100n;

  const fees = await currentFees(client, req.chain_id);
  const mostItCanCost = value + gasLimit * BigInt(fees.max_fee_per_gas_wei);
  if (balance < mostItCanCost) {
    return refuse(
      'INSUFFICIENT_FUNDS',
      `the signing address ${from} holds ${balance} wei on chain ${req.chain_id}; the value plus the most the gas can cost (${gasLimit} gas at ${fees.max_fee_per_gas_wei} wei) is ${mostItCanCost} wei`,
    );
  }
  return { ok: true, gas_limit: gasLimit.toString(), fees, balance_wei: balance.toString() };
}
