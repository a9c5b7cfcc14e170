/**
 * A history as short text, one event a line, for a replay failure's message: where a saved
 * history file is out of reach (a CI run's temporary directory), the message alone still shows
 * the run's path. Each line gives the event id, its type (without the EVENT_TYPE_ prefix), its
 * time after the first event, and what tells events of one type apart: the local activity and
 * sequence of a marker, a patch's id, a timer's id and length, a signal's or activity's name.
 */
import proto from '@temporalio/proto';

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

const EventType = proto.temporal.api.enums.v1.EventType;
/** Lines kept from each end of a long history; the middle is elided with a count. */
const HEAD_LINES = 60;
const TAIL_LINES = 240;

function decodedPayload(data: Uint8Array | null | undefined): unknown {
  if (!data) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}

function millisOf(time: HistoryEvent['eventTime']): number {
  if (!time) return 0;
  return Number(time.seconds ?? 0) * 1000 + Math.floor((time.nanos ?? 0) / 1e6);
}

function detailOf(event: HistoryEvent): string {
  const marker = event.markerRecordedEventAttributes;
  if (marker) {
    const details = marker.details ?? {};
    if (marker.markerName === 'core_local_activity') {
      const data = decodedPayload(details['data']?.payloads?.[0]?.data) as { seq?: number; activity_type?: string; attempt?: number } | undefined;
      return `local activity ${data?.activity_type ?? '?'} seq ${data?.seq ?? '?'} attempt ${data?.attempt ?? '?'}`;
    }
    if (marker.markerName === 'core_patch') {
      const data = decodedPayload(details['patch-data']?.payloads?.[0]?.data) as { id?: string } | undefined;
      return `patch ${data?.id ?? '?'}`;
    }
    return `marker ${marker.markerName ?? '?'}`;
  }
  const timer = event.timerStartedEventAttributes;
  if (timer) return `timer ${timer.timerId} for ${Number(timer.startToFireTimeout?.seconds ?? 0) * 1000 + Math.floor((timer.startToFireTimeout?.nanos ?? 0) / 1e6)} ms`;
  if (event.timerFiredEventAttributes) return `timer ${event.timerFiredEventAttributes.timerId}`;
  if (event.timerCanceledEventAttributes) return `timer ${event.timerCanceledEventAttributes.timerId}`;
  if (event.workflowExecutionSignaledEventAttributes) return `signal ${event.workflowExecutionSignaledEventAttributes.signalName}`;
  if (event.signalExternalWorkflowExecutionInitiatedEventAttributes) {
    const a = event.signalExternalWorkflowExecutionInitiatedEventAttributes;
    return `signal ${a.signalName} to ${a.workflowExecution?.workflowId}`;
  }
  if (event.activityTaskScheduledEventAttributes) return `activity ${event.activityTaskScheduledEventAttributes.activityType?.name}`;
  if (event.workflowExecutionUpdateAcceptedEventAttributes) return `update ${event.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name ?? '?'}`;
  if (event.workflowTaskFailedEventAttributes) return `cause ${event.workflowTaskFailedEventAttributes.cause}: ${event.workflowTaskFailedEventAttributes.failure?.message?.slice(0, 200) ?? ''}`;
  if (event.workflowTaskStartedEventAttributes?.suggestContinueAsNew) return 'continue-as-new suggested';
  return '';
}

export function historyDigest(events: readonly HistoryEvent[]): string {
  const start = millisOf(events[0]?.eventTime);
  const lines = events.map((event) => {
    const type = (EventType[event.eventType ?? 0] ?? String(event.eventType)).replace(/^EVENT_TYPE_/, '');
    const detail = detailOf(event);
    return `#${String(event.eventId)} ${type} +${millisOf(event.eventTime) - start} ms${detail ? ` ${detail}` : ''}`;
  });
  if (lines.length <= HEAD_LINES + TAIL_LINES) return lines.join('\n');
  return [...lines.slice(0, HEAD_LINES), `… ${lines.length - HEAD_LINES - TAIL_LINES} events …`, ...lines.slice(-TAIL_LINES)].join('\n');
}
