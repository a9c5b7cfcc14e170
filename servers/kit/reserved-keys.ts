/**
 * Refuses the keys that name JavaScript's object machinery (`__proto__`, `constructor`,
 * `prototype`) anywhere in what a host sends, before the MCP SDK reads it. Every other unknown key
 * is refused by the tool's strict schema, but `__proto__` never reaches it: JSON.parse keeps it as
 * an own property, and the SDK then copies the arguments into a fresh object, where `__proto__`
 * is the prototype setter, so the key silently vanished (and an object under it became the
 * arguments' prototype). The host is untrusted, so a message carrying any of the three is answered
 * here: a tool call with an INVALID_INPUT result naming the key, any other request with an
 * invalid-params error; a notification is dropped, and a reply (to an elicitation) becomes an error.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ToolError, toolErrorText } from './tool-error.js';

export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** JSON-RPC's code for a request whose parameters are wrong. */
const INVALID_PARAMS = -32602;

/**
 * Where the first reserved key sits in a parsed JSON value ("arguments.intents[0].__proto__"), or
 * null. Walks with its own stack, so a deeply nested message cannot exhaust the call stack.
 */
export function reservedKeyPath(value: unknown, root: string): string | null {
  const pending: Array<{ value: unknown; path: string }> = [{ value, path: root }];
  while (pending.length > 0) {
    const { value: node, path } = pending.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i -= 1) pending.push({ value: node[i], path: `${path}[${i}]` });
      continue;
    }
    const keys = Object.keys(node);
    const reserved = keys.find((key) => RESERVED_KEYS.has(key));
    if (reserved !== undefined) return `${path}.${reserved}`;
    for (let i = keys.length - 1; i >= 0; i -= 1) {
      const key = keys[i]!;
      pending.push({ value: (node as Record<string, unknown>)[key], path: `${path}.${key}` });
    }
  }
  return null;
}

function refusalText(path: string): string {
  const key = path.slice(path.lastIndexOf('.') + 1);
  return `${path}: the key "${key}" is not accepted (no tool takes ${[...RESERVED_KEYS].map((k) => `"${k}"`).join(', ')}); remove it`;
}

/** The answer to a message carrying a reserved key, or undefined for a message to pass on. */
export function reservedKeyAnswer(message: JSONRPCMessage): { reply?: JSONRPCMessage; forward?: JSONRPCMessage } | undefined {
  const m = message as { id?: string | number; method?: string; params?: unknown; result?: unknown; error?: unknown };
  if (m.method !== undefined) {
    const inParams = reservedKeyPath(m.params, 'params');
    if (!inParams) return undefined;
    // A tool's caller knows its arguments by that name.
    const found = m.method === 'tools/call' ? inParams.replace(/^params\.arguments(?=[.[])/, 'arguments') : inParams;
    if (m.id === undefined) return {}; // a notification: nothing to answer
    if (m.method === 'tools/call') {
      const text = toolErrorText(new ToolError('INVALID_INPUT', refusalText(found), 'Fix the arguments as described and call again.', false));
      return { reply: { jsonrpc: '2.0', id: m.id, result: { content: [{ type: 'text', text }], isError: true } } };
    }
    return { reply: { jsonrpc: '2.0', id: m.id, error: { code: INVALID_PARAMS, message: refusalText(found) } } };
  }
  const found = reservedKeyPath(m.result, 'result');
  if (!found || m.id === undefined) return undefined;
  return { forward: { jsonrpc: '2.0', id: m.id, error: { code: INVALID_PARAMS, message: refusalText(found) } } };
}

/**
 * Puts the check in front of whatever handler the SDK installs on the transport (it sets
 * `onmessage` when the server connects), so no message reaches the SDK unchecked.
 */
export function guardReservedKeys<T extends Transport>(transport: T): T {
  let handler: Transport['onmessage'];
  const guarded: NonNullable<Transport['onmessage']> = (message, extra) => {
    const answer = reservedKeyAnswer(message);
    if (!answer) return handler?.(message, extra);
    if (answer.reply) void transport.send(answer.reply).catch(() => undefined);
    if (answer.forward) handler?.(answer.forward, extra);
  };
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    enumerable: true,
    get: () => (handler ? guarded : undefined),
    set: (next: Transport['onmessage']) => {
      handler = next;
    },
  });
  return transport;
}
