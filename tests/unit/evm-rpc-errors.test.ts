/**
 * How node answers are read: the wording of the major clients for "I already have this
 * transaction", "that nonce is used", "another transaction holds that nonce"; unreachable nodes
 * thrown for retry without the RPC URL; and the secret scan itself, proved to find a key where one
 * is hidden.
 */
import { ApplicationFailure } from '@temporalio/common';
import { HttpRequestError, RpcRequestError, TransactionRejectedRpcError } from 'viem';
import { describe, expect, it } from 'vitest';
import { ALREADY_KNOWN, NONCE_TAKEN, NONCE_TOO_LOW, RPC_UNREACHABLE, rpcDecisionOrThrow } from '../../worker/activities/execution/transactions/rpc-errors.js';
import { findKey } from '../helpers/evm-secret-scan.js';

describe('node wording', () => {
  it.each([
    ['geth / erigon', 'already known'],
    ['anvil', 'transaction already imported'],
    ['besu', 'Known transaction'],
    ['nethermind', 'AlreadyKnown'],
    ['openethereum', 'Transaction with the same hash was already imported.'],
  ])('%s: "%s" is an already-known transaction', (_client, text) => {
    expect(ALREADY_KNOWN.test(text)).toBe(true);
    expect(NONCE_TOO_LOW.test(text)).toBe(false);
  });

  it.each([['nonce too low'], ['nonce too low: next nonce 5, tx nonce 4'], ['OldNonce'], ['Nonce is too low']])('"%s" is a consumed nonce', (text) => {
    expect(NONCE_TOO_LOW.test(text)).toBe(true);
    expect(ALREADY_KNOWN.test(text)).toBe(false);
  });

  it.each([['replacement transaction underpriced'], ['replacement fee too low']])('"%s" is a nonce held by another pending transaction', (text) => {
    expect(NONCE_TAKEN.test(text)).toBe(true);
  });

  it('does not mistake an ordinary refusal for any of them', () => {
    for (const text of ['insufficient funds for gas * price + value', 'max fee per gas less than block base fee', 'intrinsic gas too low']) {
      expect(ALREADY_KNOWN.test(text) || NONCE_TOO_LOW.test(text) || NONCE_TAKEN.test(text)).toBe(false);
    }
  });
});

describe('rpcDecisionOrThrow', () => {
  const url = 'https://mainnet.example/v3/PROVIDER-API-KEY';

  it('throws an unreachable node as a retryable failure that names the chain, not the URL', () => {
    const unreachable = new HttpRequestError({ url, status: 503, body: { method: 'eth_sendRawTransaction' } });
    let thrown: unknown;
    try {
      rpcDecisionOrThrow(unreachable, 1, 'eth_sendRawTransaction');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ApplicationFailure);
    const failure = thrown as ApplicationFailure;
    expect(failure).toMatchObject({ type: RPC_UNREACHABLE, nonRetryable: false });
    expect(failure.message).toBe('the RPC of chain 1 did not answer eth_sendRawTransaction: HTTP request failed.');
    expect(failure.message).not.toContain('PROVIDER-API-KEY');
  });

  it("returns the node's own words for a decision, without viem's URL and version lines", () => {
    const rejected = new TransactionRejectedRpcError(new RpcRequestError({ body: {}, url, error: { code: -32003, message: 'insufficient funds for gas * price + value' } }));
    const said = rpcDecisionOrThrow(rejected, 1, 'eth_sendRawTransaction');
    expect(said).toBe('insufficient funds for gas * price + value');
  });
});

describe('findKey', () => {
  const key = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';

  it('finds a key hidden as text, upper-case hex, without 0x, or as raw bytes inside a binary payload', () => {
    const history = {
      events: [
        { attributes: { input: { payloads: [{ data: Buffer.from(JSON.stringify({ note: key.toUpperCase().replace('0X', '0x') })) }] } } },
        { attributes: { result: { payloads: [{ data: new Uint8Array(Buffer.concat([Buffer.from([1, 2]), Buffer.from(key.slice(2), 'hex')])) }] } } },
        { message: `loaded ${key.slice(2)}` },
        { clean: 'nothing to see', n: 1, b: true, none: null },
      ],
    };
    expect(findKey(history, key)).toEqual([
      '$.events.0.attributes.input.payloads.0.data',
      '$.events.1.attributes.result.payloads.0.data',
      '$.events.2.message',
    ]);
  });
});
