/**
 * Counts the objects of a V8 heap snapshot (.heapsnapshot JSON) by constructor name, and compares
 * two such counts: what a process still holds after N calls, beyond what it held before, is the
 * per-call retention a memory leak shows up as. Writing a snapshot runs a full GC first, so the
 * counts are of live objects only.
 */
import { readFileSync } from 'node:fs';

export interface HeapCensus {
  /** Live objects and their shallow bytes, per constructor (or per node type for non-objects). */
  byName: Map<string, { count: number; bytes: number }>;
  totalBytes: number;
}

interface SnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export function heapCensus(file: string): HeapCensus {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as SnapshotJson;
  const fields = snap.snapshot.meta.node_fields;
  const typeNames = snap.snapshot.meta.node_types[0];
  const stride = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const byName = new Map<string, { count: number; bytes: number }>();
  let totalBytes = 0;
  for (let i = 0; i < snap.nodes.length; i += stride) {
    const type = typeNames[snap.nodes[i + typeAt] as number] ?? '?';
    // Objects and closures are told apart by constructor/function name; the rest by their type.
    const name = type === 'object' || type === 'closure' ? `${type}:${snap.strings[snap.nodes[i + nameAt] as number]}` : `(${type})`;
    const size = snap.nodes[i + sizeAt] as number;
    const entry = byName.get(name) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += size;
    byName.set(name, entry);
    totalBytes += size;
  }
  return { byName, totalBytes };
}

/** The constructors whose live count grew most from `before` to `after`, largest byte growth first. */
export function censusGrowth(before: HeapCensus, after: HeapCensus, top = 20): string[] {
  const rows = [...after.byName].map(([name, a]) => {
    const b = before.byName.get(name) ?? { count: 0, bytes: 0 };
    return { name, count: a.count - b.count, bytes: a.bytes - b.bytes };
  });
  return rows
    .filter((r) => r.count > 0)
    .sort((x, y) => y.bytes - x.bytes)
    .slice(0, top)
    .map((r) => `${String(r.count).padStart(8)} objects ${(r.bytes / 1024).toFixed(0).padStart(8)} KiB  ${r.name}`);
}
