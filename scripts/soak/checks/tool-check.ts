/** One check per tool: it calls the tool (and whatever it needs around it) and judges the answer. */
import type { SoakContext } from '../soak-context.js';

export interface ToolCheck {
  tool: string;
  run(ctx: SoakContext): Promise<void>;
}
