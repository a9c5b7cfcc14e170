/** `npx tsx scripts/memory/compare-snapshots.ts before.heapsnapshot after.heapsnapshot [top]`: what grew between two snapshots. */
import { censusGrowth, heapCensus } from './heap-census.js';

const [before, after, top] = process.argv.slice(2);
if (!before || !after) {
  console.error('usage: compare-snapshots.ts <before.heapsnapshot> <after.heapsnapshot> [top]');
  process.exit(2);
}
const [a, b] = [heapCensus(before), heapCensus(after)];
console.log(`live heap ${(a.totalBytes / 1048576).toFixed(1)} -> ${(b.totalBytes / 1048576).toFixed(1)} MiB; grew most:`);
for (const line of censusGrowth(a, b, Number(top ?? 25))) console.log(`  ${line}`);
