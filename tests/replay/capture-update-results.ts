/**
 * A workflow interceptor for replay tests: reports every update handler's result through a sink
 * that runs during replay too, so a test can compare what the code decides now with what the
 * history recorded it decided then.
 */
import { proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export interface UpdateCaptureSinks extends Sinks {
  capture: {
    updateResult(name: string, updateId: string, result: unknown): void;
  };
}

const { capture } = proxySinks<UpdateCaptureSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async handleUpdate(input, next) {
        const result = await next(input);
        capture.updateResult(input.name, input.updateId, result);
        return result;
      },
    },
  ],
});
