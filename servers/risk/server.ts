#!/usr/bin/env node
/**
 * The risk MCP server. Its tools arrive with their own issue; until then it serves an empty tool
 * list so that hosts configured from mcp.json start cleanly.
 */
import { serveGroup } from '../kit/serve-group.js';

await serveGroup('risk', [], 'The risk tools of durable-crypto-agents (none yet).');
