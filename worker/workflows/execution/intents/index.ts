/** Execution workflows: the intent bus, its subscribers, the intent journal and the submission of intents. */
export { intentBusWorkflow } from './intent-bus.js';
export { intentJournalWorkflow } from './intent-journal.js';
export { intentSubmissionWorkflow } from './intent-submission.js';
export { intentSubscriberWorkflow } from './intent-subscriber.js';
