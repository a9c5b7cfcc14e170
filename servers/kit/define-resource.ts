/**
 * Resources and prompts, for hosts that go beyond tools. A resource template names a family of
 * URIs (e.g. `agent://{name}/inbox`); a subscription is served by polling the resource's version,
 * which is cheap (a Temporal query) and needs nothing from the worker.
 */
import type { z } from 'zod';
import type { ToolContext } from './define-tool.js';

export interface ResourceContent {
  /** JSON-able body, served as application/json text. */
  body: unknown;
  /** Changes whenever the body changes; subscribers are notified when it does. */
  version: string;
}

export interface ResourceTemplateDefinition {
  uriTemplate: string;
  name: string;
  title: string;
  description: string;
  /** Matches a URI of this template, returning its variables, or undefined. */
  match(uri: string): Record<string, string> | undefined;
  /** Concrete resources worth listing now (may be empty). */
  list(ctx: ToolContext): Promise<Array<{ uri: string; name: string; title?: string }>>;
  read(vars: Record<string, string>, ctx: ToolContext): Promise<ResourceContent>;
}

export interface PromptDefinition<A extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  args: A;
  render(args: z.output<A>, ctx: ToolContext): Promise<string>;
}

export function definePrompt<A extends z.ZodObject>(def: PromptDefinition<A>): PromptDefinition {
  return def as unknown as PromptDefinition;
}
