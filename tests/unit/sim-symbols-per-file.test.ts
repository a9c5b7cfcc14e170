/**
 * Tick stores are keyed by exchange and symbol across the whole namespace, whatever the task
 * queue, and every test file runs its own worker on its own queue. Two files streaming the same
 * generated sim pair would share a store that lives on whichever queue created it; once that
 * file's worker stops, the other file's reads of the store hang. Each SIMnn/USDT pair therefore
 * belongs to one test file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const testsRoot = join(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : files(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

describe('generated sim pairs in the test suite', () => {
  it('are each streamed by one test file only', () => {
    const owners = new Map<string, Set<string>>();
    for (const file of files(testsRoot)) {
      for (const [symbol] of readFileSync(file, 'utf8').matchAll(/SIM\d{2}\/USDT/g)) {
        (owners.get(symbol) ?? owners.set(symbol, new Set()).get(symbol)!).add(relative(testsRoot, file));
      }
    }
    expect(owners.size).toBeGreaterThan(0);
    const shared = [...owners].filter(([, by]) => by.size > 1).map(([symbol, by]) => `${symbol}: ${[...by].join(', ')}`);
    expect(shared).toEqual([]);
  });
});
