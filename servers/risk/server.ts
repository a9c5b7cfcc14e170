#!/usr/bin/env node
/** The risk MCP server: a thin adapter whose tools forward into the shared worker. */
import { serveGroup } from '../kit/serve-group.js';
import { riskTools } from './tools/index.js';

await serveGroup({ group: 'risk', tools: riskTools, instructions: 'The risk tools of durable-crypto-agents.' });
