/**
 * The server kit's guard against `__proto__`, `constructor` and `prototype` in what a host sends:
 * found at any depth in the message as JSON.parse left it, answered in the tool's own error
 * shape, and never passed on to the SDK, which would drop `__proto__` silently. Messages without
 * them pass through untouched.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { guardReservedKeys, reservedKeyAnswer, reservedKeyPath } from '../../servers/kit/reserved-keys.js';

const parse = (json: string) => JSON.parse(json) as JSONRPCMessage;
const call = (args: string) => parse(`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"place_mock_order","arguments":${args}}}`);

describe('reserved keys in a parsed message', () => {
  it('are found at any depth, with the path to them', () => {
    expect(reservedKeyPath(JSON.parse('{"qty":"1","__proto__":{"x":1}}'), 'arguments')).toBe('arguments.__proto__');
    expect(reservedKeyPath(JSON.parse('{"intents":[{"symbol":"BTC/USDT"},{"constructor":"x"}]}'), 'arguments')).toBe('arguments.intents[1].constructor');
    expect(reservedKeyPath(JSON.parse('{"source":{"agent":"a","prototype":{}}}'), 'arguments')).toBe('arguments.source.prototype');
    expect(reservedKeyPath(JSON.parse('{"qty":"1","note":"__proto__","list":["constructor"]}'), 'arguments')).toBeNull();
  });

  it('are looked for without recursion, so a deeply nested message cannot exhaust the stack', () => {
    const deep = `${'{"a":'.repeat(100_000)}{"__proto__":1}${'}'.repeat(100_000)}`;
    expect(reservedKeyPath(JSON.parse(deep), 'arguments')).toMatch(/\.__proto__$/);
  });
});

describe('the answer to a message carrying one', () => {
  it('a tool call gets the INVALID_INPUT result every bad argument gets, naming the key', () => {
    const answer = reservedKeyAnswer(call('{"qty":"0.01","__proto__":{"account":"other"}}'));
    expect(answer?.forward).toBeUndefined();
    expect(answer?.reply).toEqual({
      jsonrpc: '2.0',
      id: 7,
      result: {
        isError: true,
        content: [
          {
            type: 'text',
            text: 'INVALID_INPUT: arguments.__proto__: the key "__proto__" is not accepted (no tool takes "__proto__", "constructor", "prototype"); remove it. Fix the arguments as described and call again. Retrying the same call will not help.',
          },
        ],
      },
    });
  });

  it('any other request gets an invalid-params error; a notification is dropped; a reply becomes an error', () => {
    expect(reservedKeyAnswer(parse('{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"p","arguments":{"constructor":"x"}}}'))?.reply).toMatchObject({
      id: 1,
      error: { code: -32602, message: expect.stringContaining('params.arguments.constructor') },
    });
    expect(reservedKeyAnswer(parse('{"jsonrpc":"2.0","method":"notifications/initialized","params":{"__proto__":{}}}'))).toEqual({});
    expect(reservedKeyAnswer(parse('{"jsonrpc":"2.0","id":3,"result":{"action":"accept","content":{"__proto__":{"name":"x"}}}}'))?.forward).toMatchObject({
      id: 3,
      error: { code: -32602, message: expect.stringContaining('result.content.__proto__') },
    });
  });

  it('a message without one passes untouched', () => {
    expect(reservedKeyAnswer(call('{"qty":"0.01","symbol":"BTC/USDT"}'))).toBeUndefined();
    expect(reservedKeyAnswer(parse('{"jsonrpc":"2.0","id":2,"method":"tools/list"}'))).toBeUndefined();
  });
});

describe('the guarded transport', () => {
  function fakeTransport() {
    const sent: JSONRPCMessage[] = [];
    const transport = {
      onmessage: undefined,
      async start() {},
      async close() {},
      async send(message: JSONRPCMessage) {
        sent.push(message);
      },
    } as Transport;
    return { transport, sent };
  }

  it('sits in front of the handler the SDK installs, whenever it installs it', () => {
    const { transport, sent } = fakeTransport();
    guardReservedKeys(transport);
    const received: JSONRPCMessage[] = [];
    transport.onmessage = (message) => received.push(message);
    transport.onmessage?.(call('{"qty":"0.01"}'));
    transport.onmessage?.(call('{"qty":"0.01","__proto__":{}}'));
    expect(received).toHaveLength(1);
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0])).toContain('the key \\"__proto__\\" is not accepted');
  });
});
