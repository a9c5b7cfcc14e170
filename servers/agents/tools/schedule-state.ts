/** The nudge schedule as the agents tools report it. */
import type { ScheduleDescription } from '@temporalio/client';
import type { NudgeScheduleState } from '../../../schemas/agents.js';
import { nudgeIntervalSec } from '../../../temporal/clients/nudge-schedule.js';

export function scheduleState(description: ScheduleDescription): NudgeScheduleState {
  const recent = description.info.recentActions;
  return {
    schedule_id: description.scheduleId,
    interval_sec: nudgeIntervalSec(description),
    paused: description.state.paused,
    next_run_at: description.info.nextActionTimes[0]?.toISOString() ?? null,
    last_run_at: recent.length ? (recent[recent.length - 1]?.scheduledAt.toISOString() ?? null) : null,
    recent_runs: description.info.numActionsTaken,
  };
}
