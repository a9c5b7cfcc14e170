#!/usr/bin/env node
/** The market MCP server: a thin adapter whose tools forward into the shared worker. */
import { serveGroup } from '../kit/serve-group.js';
import { marketTools } from './tools/index.js';

await serveGroup('market', marketTools, 'The market tools of durable-crypto-agents.');
