#!/usr/bin/env node
/** The ledger MCP server: a thin adapter whose tools forward into the shared worker. */
import { serveGroup } from '../kit/serve-group.js';
import { ledgerTools } from './tools/index.js';

await serveGroup({ group: 'ledger', tools: ledgerTools, instructions: 'The ledger tools of durable-crypto-agents.' });
