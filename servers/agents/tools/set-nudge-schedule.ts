import { setNudgeSchedule } from '../../../schemas/agents.js';
import { nudgeScheduleId } from '../../../schemas/temporal/ensemble.js';
import { defineTool } from '../../kit/define-tool.js';
import { ToolError } from '../../kit/tool-error.js';
import { describeNudgeSchedule, scheduleState } from './schedule-state.js';

export const setNudgeScheduleTool = defineTool(setNudgeSchedule, async ({ agent, interval_sec, paused }, { temporal }) => {
  if (interval_sec === undefined && paused === undefined) {
    throw new ToolError('NOTHING_TO_CHANGE', 'neither interval_sec nor paused was given', 'Pass interval_sec (seconds) and/or paused (true or false).', false);
  }
  const client = await temporal.client();
  if (!(await describeNudgeSchedule(client, agent))) {
    throw new ToolError(
      'NO_SCHEDULE',
      `${agent} has no nudge schedule yet`,
      'Select pairs first with select_pairs: it creates the schedule.',
      false,
    );
  }
  const handle = client.schedule.getHandle(nudgeScheduleId(agent));
  if (interval_sec !== undefined) {
    await handle.update((previous) => ({ ...previous, spec: { ...previous.spec, intervals: [{ every: `${interval_sec}s` }] } }));
  }
  if (paused === true) await handle.pause(`paused through set_nudge_schedule`);
  if (paused === false) await handle.unpause(`resumed through set_nudge_schedule`);
  return { agent, schedule: scheduleState(await handle.describe()) };
});
