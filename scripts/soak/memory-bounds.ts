/**
 * The memory a soak allows the stack: resident set sizes of the worker and of each MCP server, and
 * the largest history any long-lived workflow's run may reach before it hands over. Both the soak
 * test and `npm run soak` fail when a process or a history ends above these.
 */

/**
 * The worker process (workflow cache, bundle, activities' clients). Measured: 380-520 MiB through a
 * 5-minute soak at real thresholds, 500-670 MiB after hundreds of hand-overs at tiny ones.
 */
export const WORKER_RSS_BOUND_MIB = 800;

/**
 * Each MCP server process (one Temporal client, the tool contracts). Measured: 110-150 MiB in
 * both soaks; a server that kept something per call would cross this within an hour.
 */
export const SERVER_RSS_BOUND_MIB = 200;

/** A run's history length: every long-lived workflow hands over well before Temporal's 50k-event limit. */
export const HISTORY_LENGTH_BOUND = 10_000;

/**
 * The state a long-lived workflow carries to its next run (its start input). Temporal refuses a
 * payload over 2 MiB and warns above 512 KiB; every carried state is bounded by its settings (ticks
 * kept, fills and equity points kept, queued checks) and must stay under this with room to spare.
 */
export const CARRIED_STATE_BOUND_BYTES = 512 * 1024;
