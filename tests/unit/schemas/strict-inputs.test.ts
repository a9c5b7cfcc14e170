/**
 * Every tool's input refuses unknown keys at every level, not only at the top: a misspelt field in
 * an intent leg or a nested source is an error, never silently dropped. Checked over the JSON
 * Schema tools/list serves (what hosts are told) and over the parse the server runs.
 */
import { describe, expect, it } from 'vitest';
import { contractsByGroup, TOOL_GROUPS } from '../../../schemas/index.js';
import { strictInput, toolJsonSchema } from '../../../schemas/json-schema.js';
import { submitIntent } from '../../../schemas/execution-intents.js';

/** Paths of object schemas that would accept a key they do not name. */
function openObjects(schema: unknown, path: string): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const node = schema as Record<string, unknown>;
  const here = node.type === 'object' && node.additionalProperties !== false ? [path] : [];
  return [...here, ...Object.entries(node).flatMap(([key, child]) => (child && typeof child === 'object' ? openObjects(child, `${path}/${key}`) : []))];
}

describe('tool inputs', () => {
  it('are closed objects at every level of every tool', () => {
    const open = TOOL_GROUPS.flatMap((group) => contractsByGroup[group].flatMap((c) => openObjects(toolJsonSchema(c).inputSchema, c.name)));
    expect(open).toEqual([]);
  });

  it('refuse a nested unknown key when parsed, naming it', () => {
    const leg = { symbol: 'BTC/USDT', side: 'buy', qty: '0.01' };
    const parse = (intents: unknown[]) => strictInput(submitIntent).safeParse({ intent_id: 'i-1', intents });
    expect(parse([leg]).success).toBe(true);
    for (const key of ['constructor', 'prototype', 'qtty']) {
      const issues = parse([{ ...leg, [key]: 'x' }]).error?.issues ?? [];
      expect(issues.map((i) => [i.path.join('.'), i.code])).toContainEqual(['intents.0', 'unrecognized_keys']);
      expect(issues.map((i) => i.message).join(' ')).toContain(`"${key}"`);
    }
  });
});
