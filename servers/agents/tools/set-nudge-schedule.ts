import { setNudgeSchedule } from '../../../schemas/agents.js';
import { changeNudgeSchedule } from '../../../temporal/clients/nudge-schedule.js';
import { defineTool } from '../../kit/define-tool.js';
import { ToolError } from '../../kit/tool-error.js';
import { scheduleState } from './schedule-state.js';

export const setNudgeScheduleTool = defineTool(setNudgeSchedule, async ({ agent, interval_sec, paused }, { temporal }) => {
  if (interval_sec === undefined && paused === undefined) {
    throw new ToolError('NOTHING_TO_CHANGE', 'neither interval_sec nor paused was given', 'Pass interval_sec (seconds) and/or paused (true or false).', false);
  }
  const changed = await changeNudgeSchedule(await temporal.client(), agent, { interval_sec, paused });
  if (!changed) {
    throw new ToolError(
      'NO_SCHEDULE',
      `${agent} has no nudge schedule yet`,
      'Select pairs first with select_pairs: it creates the schedule.',
      false,
    );
  }
  return { agent, schedule: scheduleState(changed) };
});
