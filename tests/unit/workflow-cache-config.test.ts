/** The worker's bound on workflow runs kept in memory: a default of its own, and a clear refusal of a bad setting. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_CACHED_WORKFLOWS, workflowCacheConfigFromEnv } from '../../worker/config/workflow-cache-config.js';

describe('WORKER_MAX_CACHED_WORKFLOWS', () => {
  it('defaults to a fixed bound rather than one sized from the heap', () => {
    expect(workflowCacheConfigFromEnv({})).toEqual({ maxCachedWorkflows: DEFAULT_MAX_CACHED_WORKFLOWS });
  });

  it('takes an operator setting', () => {
    expect(workflowCacheConfigFromEnv({ WORKER_MAX_CACHED_WORKFLOWS: '120' })).toEqual({ maxCachedWorkflows: 120 });
  });

  it.each(['0', '1', 'lots', '2.5'])('refuses %s, naming the variable and the range', (raw) => {
    expect(() => workflowCacheConfigFromEnv({ WORKER_MAX_CACHED_WORKFLOWS: raw })).toThrow(`WORKER_MAX_CACHED_WORKFLOWS=${raw} is not an integer between 2 and 100000`);
  });
});
