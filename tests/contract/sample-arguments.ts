/**
 * One valid set of arguments per tool, keyed by tool name: the contract tests call every listed
 * tool with it (for example while Temporal is down). A tool added to a group without an entry here
 * fails those tests with a message saying so, rather than going untested.
 */
export const sampleArguments: Record<string, Record<string, unknown>> = {
  prompt_agent: { target: 'contract-sample', message: 'sample prompt', message_id: 'contract-sample-1' },
  next_prompt: { agent: 'contract-sample', wait_sec: 0 },
};

export function sampleArgumentsFor(tool: string): Record<string, unknown> {
  const args = sampleArguments[tool];
  if (!args) throw new Error(`add valid sample arguments for the tool ${tool} to tests/contract/sample-arguments.ts`);
  return args;
}
