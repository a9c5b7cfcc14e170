/**
 * One viem public client per configured chain, created on first use and shared by every activity
 * of the worker. Transport retries are off: Temporal's activity retries are the one retry policy,
 * visible in the history.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { createPublicClient, defineChain, http, type Chain, type HttpTransport, type PublicClient } from 'viem';
import type { ChainEndpoint } from '../../../config/chain-config.js';

/** Activity failure type for a chain id without an RPC in EVM_CHAINS. */
export const CHAIN_NOT_CONFIGURED = 'ChainNotConfigured';

const RPC_TIMEOUT_MS = 10_000;

/** A client bound to one chain (so fee estimates and signing know its id). */
export type ChainClient = PublicClient<HttpTransport, Chain>;

export interface ChainClients {
  client(chainId: number): ChainClient;
  endpoints: readonly ChainEndpoint[];
}

export function createChainClients(endpoints: readonly ChainEndpoint[]): ChainClients {
  const clients = new Map<number, ChainClient>();
  return {
    endpoints,
    client(chainId) {
      const existing = clients.get(chainId);
      if (existing) return existing;
      const endpoint = endpoints.find((e) => e.chainId === chainId);
      if (!endpoint) {
        throw ApplicationFailure.create({
          type: CHAIN_NOT_CONFIGURED,
          message: `chain ${chainId} has no RPC in the worker's EVM_CHAINS`,
          nonRetryable: true,
        });
      }
      const chain = defineChain({
        id: endpoint.chainId,
        name: endpoint.name,
        nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
        rpcUrls: { default: { http: [endpoint.rpcUrl] } },
      });
      const created = createPublicClient({
        chain,
        transport: http(endpoint.rpcUrl, { retryCount: 0, timeout: RPC_TIMEOUT_MS }),
        // Receipts are polled by the receipt activity itself, with heartbeats.
        pollingInterval: 500,
      });
      clients.set(chainId, created);
      return created;
    },
  };
}
