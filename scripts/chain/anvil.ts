/**
 * A real local EVM node for tests and benchmarks: anvil from the @foundry-rs/anvil npm package
 * (a prebuilt binary, no download, no network), on a free 127.0.0.1 port, with its standard dev
 * accounts. Stopped with the test that started it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type Address,
  type Chain,
  type Hex,
  type HttpTransport,
  type PublicClient,
  type WalletClient,
} from 'viem';
import { generatePrivateKey, mnemonicToAccount, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { stopChild } from '../stack/stop-child.js';
import { freePort } from '../temporal/free-port.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** anvil's well-known development mnemonic: its accounts are public test accounts, never real funds. */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';
export const ANVIL_CHAIN_ID = 31337;
const READY_TIMEOUT_MS = 20_000;

export interface DevAccount {
  address: Address;
  privateKey: Hex;
}

export interface Anvil {
  rpcUrl: string;
  chainId: number;
  chain: Chain;
  /** The first accounts of the dev mnemonic, each funded with 10 000 ETH. */
  accounts: DevAccount[];
  publicClient: PublicClient<HttpTransport, Chain>;
  /** A wallet that signs with the given key: for transactions sent from outside the stack. */
  wallet(privateKey: Hex): WalletClient<HttpTransport, Chain, PrivateKeyAccount>;
  /** A brand-new key holding `wei`: a signer no other test shares, whose nonces start at 0. */
  fundedKey(wei: bigint): Promise<DevAccount>;
  setBalance(address: Address, wei: bigint): Promise<void>;
  setAutomine(on: boolean): Promise<void>;
  mine(blocks?: number): Promise<void>;
  request(method: string, params?: unknown[]): Promise<unknown>;
  stop(): Promise<void>;
}

/** The platform binary shipped in the optional dependency, or the package's launcher as a fallback. */
function anvilBinary(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  try {
    const pkg = createRequire(join(repoRoot, 'package.json')).resolve(`@foundry-rs/anvil-${process.platform}-${arch}/package.json`);
    const binary = join(dirname(pkg), 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
    if (existsSync(binary)) return binary;
  } catch {
    // fall through to the launcher
  }
  const launcher = join(repoRoot, 'node_modules', '.bin', 'anvil');
  if (existsSync(launcher)) return launcher;
  throw new Error('anvil is not installed: run npm install (it comes with the @foundry-rs/anvil dev dependency)');
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anvil exited with code ${child.exitCode} before it was ready:\n${log()}`);
    try {
      await rpc(url, 'eth_chainId');
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`anvil did not answer on ${url} within ${READY_TIMEOUT_MS / 1000} s:\n${log()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export async function startAnvil(options: { chainId?: number; accounts?: number } = {}): Promise<Anvil> {
  const chainId = options.chainId ?? ANVIL_CHAIN_ID;
  const accountCount = options.accounts ?? 4;
  const port = await freePort();
  const rpcUrl = `http://127.0.0.1:${port}`;
  const child = spawn(
    anvilBinary(),
    ['--host', '127.0.0.1', '--port', String(port), '--chain-id', String(chainId), '--accounts', String(accountCount), '--mnemonic', ANVIL_MNEMONIC, '--quiet'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitReady(rpcUrl, child, () => output);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }

  const chain = defineChain({
    id: chainId,
    name: 'anvil',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const accounts = Array.from({ length: accountCount }, (_, addressIndex) => {
    const account = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex });
    const key = account.getHdKey().privateKey;
    if (!key) throw new Error('the dev mnemonic yielded no private key');
    return { address: account.address, privateKey: `0x${Buffer.from(key).toString('hex')}` as Hex };
  });
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl) });
  const request = (method: string, params: unknown[] = []) => rpc(rpcUrl, method, params);
  const setBalance = async (address: Address, wei: bigint) => {
    await request('anvil_setBalance', [address, `0x${wei.toString(16)}`]);
  };

  return {
    rpcUrl,
    chainId,
    chain,
    accounts,
    publicClient,
    wallet: (privateKey) => createWalletClient({ chain, transport: http(rpcUrl), account: privateKeyToAccount(privateKey) }),
    async fundedKey(wei) {
      const privateKey = generatePrivateKey();
      const { address } = privateKeyToAccount(privateKey);
      await setBalance(address, wei);
      return { address, privateKey };
    },
    setBalance,
    async setAutomine(on) {
      await request('evm_setAutomine', [on]);
    },
    async mine(blocks = 1) {
      await request('anvil_mine', [`0x${blocks.toString(16)}`]);
    },
    request,
    async stop() {
      await stopChild(child, exited, 5_000);
    },
  };
}
