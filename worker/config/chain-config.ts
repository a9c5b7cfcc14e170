/**
 * The on-chain side of the worker's configuration, read once at start-up: which chains it reaches
 * (and through which RPC), what it may send (allowlists and caps), and where its signing key
 * comes from. A misconfiguration stops the worker at start-up with the variable's name; a missing
 * key does not (the transaction tools then answer that the key is missing).
 *
 * The key (or keystore password) is wrapped in a Secret so that printing or serialising the
 * configuration can never reveal it.
 */
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import type { NonceAllocatorLimits } from '../../schemas/temporal/transactions.js';
import { envInteger } from './env-number.js';

/** A value that refuses to be printed or serialised: logs and JSON only ever show a placeholder. */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The value itself, for the one place that needs it (the signer). */
  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return '[redacted]';
  }

  toString(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}

export type SignerSource =
  | { kind: 'none' }
  | { kind: 'private-key'; privateKey: Secret }
  | { kind: 'keystore'; path: string; keystore: Record<string, unknown>; password: Secret };

export interface ChainEndpoint {
  chainId: number;
  name: string;
  /** May embed a provider's API key, so it never enters a workflow input or history. */
  rpcUrl: string;
}

export interface ChainConfig {
  chains: ChainEndpoint[];
  allowedChainIds: number[];
  /** Lowercase 0x addresses; empty: no recipient is allowed. */
  allowedRecipients: string[];
  maxValueWei: bigint;
  maxDailyValueWei: bigint | null;
  maxGas: bigint;
  receiptTimeoutMs: number;
  confirmations: number;
  signer: SignerSource;
  allocator: NonceAllocatorLimits;
}

export class ChainConfigError extends Error {}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const PRIVATE_KEY = /^(0x)?[0-9a-fA-F]{64}$/;
const UINT = /^(0|[1-9][0-9]*)$/;
const UINT256_MAX = (1n << 256n) - 1n;

function trimmed(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

const WEI_EXAMPLE = 'a whole number of wei (digits only, e.g. 1000000000000000000 for 1 ETH)';
const GAS_EXAMPLE = 'a whole number of gas units (digits only, e.g. 1000000)';

function uintSetting(env: NodeJS.ProcessEnv, name: string, expected: string): bigint | undefined {
  const raw = trimmed(env, name);
  if (raw === undefined) return undefined;
  if (!UINT.test(raw) || BigInt(raw) > UINT256_MAX) throw new ChainConfigError(`${name}=${raw} is not ${expected}`);
  return BigInt(raw);
}

function chainId(raw: string, where: string): number {
  const id = Number(raw);
  if (!UINT.test(raw) || !Number.isSafeInteger(id) || id < 1) {
    throw new ChainConfigError(`${where}: "${raw}" is not a chain id (a positive integer such as 1 or 31337)`);
  }
  return id;
}

function parseChains(env: NodeJS.ProcessEnv): ChainEndpoint[] {
  const raw = trimmed(env, 'EVM_CHAINS');
  if (raw === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ChainConfigError('EVM_CHAINS is not valid JSON; expected {"<chain id>": {"rpc_url": "http://...", "name": "..."}}');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ChainConfigError('EVM_CHAINS must be a JSON object: {"<chain id>": {"rpc_url": "http://...", "name": "..."}}');
  }
  return Object.entries(parsed as Record<string, unknown>).map(([key, value]) => {
    const id = chainId(key, 'EVM_CHAINS');
    const entry = (value ?? {}) as { rpc_url?: unknown; name?: unknown };
    if (typeof entry.rpc_url !== 'string' || !/^https?:\/\/\S+$/.test(entry.rpc_url)) {
      throw new ChainConfigError(`EVM_CHAINS["${key}"].rpc_url must be an http(s) URL of the chain's JSON-RPC endpoint`);
    }
    if (entry.name !== undefined && (typeof entry.name !== 'string' || entry.name.trim() === '')) {
      throw new ChainConfigError(`EVM_CHAINS["${key}"].name must be a non-empty string when given`);
    }
    return { chainId: id, name: typeof entry.name === 'string' ? entry.name.trim() : `chain ${id}`, rpcUrl: entry.rpc_url };
  });
}

function parseAllowedChains(env: NodeJS.ProcessEnv, chains: ChainEndpoint[]): number[] {
  const raw = trimmed(env, 'EVM_ALLOWED_CHAINS');
  // Configuring an RPC is itself a deliberate choice, so by default every configured chain is allowed.
  if (raw === undefined) return chains.map((c) => c.chainId);
  const ids = raw.split(',').map((part) => chainId(part.trim(), 'EVM_ALLOWED_CHAINS'));
  for (const id of ids) {
    if (!chains.some((c) => c.chainId === id)) {
      throw new ChainConfigError(`EVM_ALLOWED_CHAINS lists chain ${id}, which has no RPC in EVM_CHAINS; add it there or remove it here`);
    }
  }
  return [...new Set(ids)];
}

function parseRecipients(env: NodeJS.ProcessEnv): string[] {
  const raw = trimmed(env, 'EVM_ALLOWED_RECIPIENTS');
  if (raw === undefined) return [];
  const addresses = raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  for (const address of addresses) {
    if (!ADDRESS.test(address)) {
      throw new ChainConfigError(`EVM_ALLOWED_RECIPIENTS: "${address}" is not a 0x-prefixed 20-byte hex address`);
    }
  }
  return [...new Set(addresses.map((a) => a.toLowerCase()))];
}

function parseSigner(env: NodeJS.ProcessEnv): SignerSource {
  const privateKey = trimmed(env, 'EVM_PRIVATE_KEY');
  const keystorePath = trimmed(env, 'EVM_KEYSTORE_PATH');
  const password = env.EVM_KEYSTORE_PASSWORD;
  if (privateKey !== undefined && keystorePath !== undefined) {
    throw new ChainConfigError('set either EVM_PRIVATE_KEY or EVM_KEYSTORE_PATH (with EVM_KEYSTORE_PASSWORD), not both');
  }
  if (privateKey !== undefined) {
    // The message never repeats the value: it is a secret even when malformed.
    if (!PRIVATE_KEY.test(privateKey)) throw new ChainConfigError('EVM_PRIVATE_KEY must be 32 bytes of hex (64 hex digits, optionally 0x-prefixed)');
    return { kind: 'private-key', privateKey: new Secret(privateKey.startsWith('0x') ? privateKey : `0x${privateKey}`) };
  }
  if (keystorePath !== undefined) {
    if (password === undefined) throw new ChainConfigError('EVM_KEYSTORE_PATH is set but EVM_KEYSTORE_PASSWORD is not; set the keystore password too');
    let text: string;
    try {
      text = readFileSync(keystorePath, 'utf8');
    } catch {
      throw new ChainConfigError(`EVM_KEYSTORE_PATH=${keystorePath} cannot be read; point it at a V3 JSON keystore file`);
    }
    let keystore: unknown;
    try {
      keystore = JSON.parse(text);
    } catch {
      throw new ChainConfigError(`EVM_KEYSTORE_PATH=${keystorePath} is not JSON; expected a V3 JSON keystore`);
    }
    if (!keystore || typeof keystore !== 'object' || (keystore as { version?: unknown }).version !== 3) {
      throw new ChainConfigError(`EVM_KEYSTORE_PATH=${keystorePath} is not a version 3 JSON keystore`);
    }
    return { kind: 'keystore', path: keystorePath, keystore: keystore as Record<string, unknown>, password: new Secret(password) };
  }
  return { kind: 'none' };
}

export function chainConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ChainConfig {
  const chains = parseChains(env);
  return {
    chains,
    allowedChainIds: parseAllowedChains(env, chains),
    allowedRecipients: parseRecipients(env),
    // Unset caps refuse value transfers: sending value is enabled by setting a cap on purpose.
    maxValueWei: uintSetting(env, 'EVM_MAX_VALUE_WEI', WEI_EXAMPLE) ?? 0n,
    maxDailyValueWei: uintSetting(env, 'EVM_MAX_DAILY_VALUE_WEI', WEI_EXAMPLE) ?? null,
    maxGas: uintSetting(env, 'EVM_MAX_GAS', GAS_EXAMPLE) ?? 1_000_000n,
    receiptTimeoutMs: envInteger(env, 'EVM_RECEIPT_TIMEOUT_SEC', 120, 1, 3_600) * 1000,
    confirmations: envInteger(env, 'EVM_CONFIRMATIONS', 1, 1, 100),
    signer: parseSigner(env),
    allocator: {
      remembered: envInteger(env, 'EVM_NONCE_MEMORY', 1_000, 10, 100_000),
      continueAsNewAfter: envInteger(env, 'EVM_NONCE_CONTINUE_AS_NEW_AFTER', 500, 1, 100_000),
    },
  };
}
