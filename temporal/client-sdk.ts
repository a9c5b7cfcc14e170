/**
 * The Temporal client SDK's values the tool clients load on first use, re-exported by name from
 * one ES module. The SDK is CommonJS: a dynamic import of it yields its named exports under Node,
 * but only `default` from the server bundles (scripts/build/server-bundles.ts). Importing this
 * module instead gives the same names either way, and keeps the gRPC stack out of tools/list.
 */
export {
  Client,
  QueryNotRegisteredError,
  QueryRejectedError,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  WithStartWorkflowOperation,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
