/**
 * A tool's error: the stack's CallError, named for the servers. Whatever a layer below throws as a
 * CallError reaches the host as the same text (see map-error.ts).
 */
import { CallError, callErrorText } from '../../temporal/call-error.js';

export class ToolError extends CallError {}

export const toolErrorText: (e: CallError) => string = callErrorText;
