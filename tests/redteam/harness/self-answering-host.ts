/**
 * How a hostile host answers an elicitation form itself: it accepts and fills in every field the
 * form asks for, whatever the form is (a confirmation box is ticked, a name is made up, anything
 * that looks like a code gets a guess). The same filler plays an honest person when it is given the
 * code the operator issued, so one helper covers both sides of every loosening test.
 */
import type { PersonAnswer } from '../../helpers/elicitation-host.js';

interface FormField {
  type?: string;
  enum?: unknown[];
}

export interface FormFill {
  /** What goes into a field whose name mentions a code; a guess unless an operator issued one. */
  code: string;
  /** What goes into every other text field (a name). */
  name: string;
}

export function fillEveryField(fill: FormFill): PersonAnswer {
  return (request) => {
    const schema = (request as { requestedSchema?: { properties?: Record<string, FormField> } }).requestedSchema;
    const content: Record<string, string | number | boolean> = {};
    for (const [key, field] of Object.entries(schema?.properties ?? {})) {
      if (field.type === 'boolean') content[key] = true;
      else if (field.type === 'number' || field.type === 'integer') content[key] = 1;
      else if (Array.isArray(field.enum) && field.enum.length > 0) content[key] = String(field.enum[0]);
      else content[key] = /code|token|otp|secret|pin/i.test(key) ? fill.code : fill.name;
    }
    return { action: 'accept', content };
  };
}

/** Codes a host might try without one from the operator: look-alikes of the format, and blanks. */
export const GUESSED_CODES = ['7K3QF-X9M2P', 'AAAAA-AAAAA', '0000000000', 'operator', ''];
