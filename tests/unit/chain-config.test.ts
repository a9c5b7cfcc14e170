/**
 * The worker's chain configuration from its environment: sensible, safe defaults when nothing is
 * set, every setting parsed, and every mistake stopping the worker at start-up with the variable's
 * name (and never the key's value).
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chainConfigFromEnv } from '../../worker/config/chain-config.js';

const KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const CHAINS = JSON.stringify({ '31337': { rpc_url: 'http://127.0.0.1:8545', name: 'anvil' }, '1': { rpc_url: 'https://rpc.example/v3/secret' } });

describe('chainConfigFromEnv', () => {
  it('with nothing set: no chains, no key, no recipient, no value', () => {
    expect(chainConfigFromEnv({})).toEqual({
      chains: [],
      allowedChainIds: [],
      allowedRecipients: [],
      maxValueWei: 0n,
      maxDailyValueWei: null,
      maxGas: 1_000_000n,
      receiptTimeoutMs: 120_000,
      confirmations: 1,
      signer: { kind: 'none' },
      allocator: { remembered: 1_000, continueAsNewAfter: 500 },
    });
  });

  it('reads every setting, allowing every configured chain unless told otherwise', () => {
    const config = chainConfigFromEnv({
      EVM_CHAINS: CHAINS,
      EVM_ALLOWED_RECIPIENTS: ' 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 ,0x70997970c51812dc3a010c7d01b50e0d17dc79c8,',
      EVM_MAX_VALUE_WEI: '1000000000000000000',
      EVM_MAX_DAILY_VALUE_WEI: '5000000000000000000',
      EVM_MAX_GAS: '300000',
      EVM_RECEIPT_TIMEOUT_SEC: '30',
      EVM_CONFIRMATIONS: '3',
      EVM_PRIVATE_KEY: KEY.slice(2),
      EVM_NONCE_MEMORY: '50',
      EVM_NONCE_CONTINUE_AS_NEW_AFTER: '20',
    });
    expect(config).toMatchObject({
      chains: [
        { chainId: 1, name: 'chain 1', rpcUrl: 'https://rpc.example/v3/secret' },
        { chainId: 31337, name: 'anvil', rpcUrl: 'http://127.0.0.1:8545' },
      ],
      allowedChainIds: [1, 31337],
      allowedRecipients: ['0x70997970c51812dc3a010c7d01b50e0d17dc79c8'],
      maxValueWei: 10n ** 18n,
      maxDailyValueWei: 5n * 10n ** 18n,
      maxGas: 300_000n,
      receiptTimeoutMs: 30_000,
      confirmations: 3,
      allocator: { remembered: 50, continueAsNewAfter: 20 },
    });
    expect(config.signer.kind === 'private-key' && config.signer.privateKey.reveal()).toBe(KEY);
    expect(chainConfigFromEnv({ EVM_CHAINS: CHAINS, EVM_ALLOWED_CHAINS: '31337' }).allowedChainIds).toEqual([31337]);
  });

  it('never shows the key when the configuration is printed or serialised', () => {
    const config = chainConfigFromEnv({ EVM_PRIVATE_KEY: KEY });
    const texts = [
      JSON.stringify(config, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
      inspect(config, { depth: 10 }),
      `${config.signer.kind === 'private-key' ? config.signer.privateKey : ''}`,
    ];
    for (const text of texts) {
      expect(text.toLowerCase()).not.toContain(KEY.slice(2));
      expect(text).toContain('redacted');
    }
  });

  it.each([
    ['EVM_CHAINS that is not JSON', { EVM_CHAINS: '{31337: x}' }, 'EVM_CHAINS is not valid JSON; expected {"<chain id>": {"rpc_url": "http://...", "name": "..."}}'],
    ['EVM_CHAINS as an array', { EVM_CHAINS: '[]' }, 'EVM_CHAINS must be a JSON object'],
    ['a chain id that is no number', { EVM_CHAINS: '{"main": {"rpc_url": "http://x"}}' }, 'EVM_CHAINS: "main" is not a chain id (a positive integer such as 1 or 31337)'],
    ['an RPC that is not http(s)', { EVM_CHAINS: '{"1": {"rpc_url": "ws://x"}}' }, 'EVM_CHAINS["1"].rpc_url must be an http(s) URL of the chain\'s JSON-RPC endpoint'],
    ['an empty chain name', { EVM_CHAINS: '{"1": {"rpc_url": "http://x", "name": " "}}' }, 'EVM_CHAINS["1"].name must be a non-empty string when given'],
    ['an allowed chain without RPC', { EVM_CHAINS: CHAINS, EVM_ALLOWED_CHAINS: '31337,5' }, 'EVM_ALLOWED_CHAINS lists chain 5, which has no RPC in EVM_CHAINS; add it there or remove it here'],
    ['a recipient that is no address', { EVM_ALLOWED_RECIPIENTS: '0x1234' }, 'EVM_ALLOWED_RECIPIENTS: "0x1234" is not a 0x-prefixed 20-byte hex address'],
    ['a cap in ether', { EVM_MAX_VALUE_WEI: '1.5' }, 'EVM_MAX_VALUE_WEI=1.5 is not a whole number of wei (digits only, e.g. 1000000000000000000 for 1 ETH)'],
    ['a negative daily cap', { EVM_MAX_DAILY_VALUE_WEI: '-1' }, 'EVM_MAX_DAILY_VALUE_WEI=-1 is not a whole number of wei'],
    ['a gas cap in hex', { EVM_MAX_GAS: '0x100' }, 'EVM_MAX_GAS=0x100 is not a whole number of gas units (digits only, e.g. 1000000)'],
    ['a receipt timeout of zero', { EVM_RECEIPT_TIMEOUT_SEC: '0' }, 'EVM_RECEIPT_TIMEOUT_SEC=0 is not an integer between 1 and 3600'],
  ])('refuses %s, naming the variable', (_label, env, message) => {
    expect(() => chainConfigFromEnv(env)).toThrow(message);
  });

  it('refuses a malformed key without repeating it', () => {
    const malformed = `${KEY}ff`;
    let message = '';
    try {
      chainConfigFromEnv({ EVM_PRIVATE_KEY: malformed });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe('EVM_PRIVATE_KEY must be 32 bytes of hex (64 hex digits, optionally 0x-prefixed)');
  });
});
