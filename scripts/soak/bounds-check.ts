/** Holds a soak's figures against memory-bounds.ts: each breach as a sentence naming the process or workflow type. */
import type { Census } from './census.js';
import { CARRIED_STATE_BOUND_BYTES, HISTORY_LENGTH_BOUND, SERVER_RSS_BOUND_MIB, WORKER_RSS_BOUND_MIB } from './memory-bounds.js';
import type { RssSample } from './rss.js';

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

export function boundBreaches(rss: RssSample, census: Census): string[] {
  const breaches: string[] = [];
  if (rss.worker === undefined) breaches.push('the worker process is gone');
  else if (rss.worker > WORKER_RSS_BOUND_MIB) breaches.push(`worker RSS ${rss.worker.toFixed(0)} MiB > ${WORKER_RSS_BOUND_MIB} MiB`);
  for (const [server, mib] of Object.entries(rss.servers)) {
    if (mib === undefined) breaches.push(`the ${server} server process is gone`);
    else if (mib > SERVER_RSS_BOUND_MIB) breaches.push(`${server} server RSS ${mib.toFixed(0)} MiB > ${SERVER_RSS_BOUND_MIB} MiB`);
  }
  for (const [type, c] of Object.entries(census)) {
    if (c.maxHistoryLength > HISTORY_LENGTH_BOUND) breaches.push(`${type}: a run reached ${c.maxHistoryLength} history events > ${HISTORY_LENGTH_BOUND}`);
    if (c.maxCarriedBytes > CARRIED_STATE_BOUND_BYTES) breaches.push(`${type}: a run was handed ${kib(c.maxCarriedBytes)} of carried state > ${kib(CARRIED_STATE_BOUND_BYTES)}`);
  }
  return breaches;
}
