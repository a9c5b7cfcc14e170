/**
 * Version markers a replay can miss. A patch marker (`patched()`) recorded after a local activity's
 * marker in the same workflow task is seen on replay only when the replaying worker finds it ahead
 * of time, which it does not always do; one it misses makes the run take the other branch, a
 * nondeterminism error that stops the run until the code changes. Workflow code here decides every
 * marker at the start of a run, before any local activity; this finds a history that broke the rule.
 */
import type proto from '@temporalio/proto';

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

const PATCH_MARKER = 'core_patch';
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

function patchIdOf(event: HistoryEvent): string {
  const data = event.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
  if (!data) return '(unnamed)';
  try {
    const parsed = JSON.parse(new TextDecoder().decode(data)) as { id?: unknown };
    return typeof parsed.id === 'string' ? parsed.id : '(unnamed)';
  } catch {
    return '(unreadable)';
  }
}

/** One sentence per patch marker that follows a local activity's marker in its workflow task. */
export function markersAfterLocalActivities(events: readonly HistoryEvent[]): string[] {
  const problems: string[] = [];
  let localActivitySeen = false;
  for (const event of events) {
    // A task's commands follow its WorkflowTaskCompleted event: a new task starts afresh.
    if (event.workflowTaskCompletedEventAttributes) {
      localActivitySeen = false;
      continue;
    }
    const name = event.markerRecordedEventAttributes?.markerName;
    if (name === LOCAL_ACTIVITY_MARKER) localActivitySeen = true;
    else if (name === PATCH_MARKER && localActivitySeen) {
      problems.push(`event ${String(event.eventId)}: version marker ${patchIdOf(event)} was recorded after a local activity in the same workflow task, where a replay can miss it`);
    }
  }
  return problems;
}
