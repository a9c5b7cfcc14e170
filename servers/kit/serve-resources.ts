/**
 * Wires resource templates into an MCP server: list, templates, read, and subscribe with
 * notifications/resources/updated when a subscribed resource's version changes.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  ListResourceTemplatesRequestSchema,
  ListResourcesRequestSchema,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  McpError,
  ErrorCode,
} from '@modelcontextprotocol/sdk/types.js';
import type { ResourceTemplateDefinition } from './define-resource.js';
import type { ToolContext } from './define-tool.js';
import { mapError } from './map-error.js';
import { toolErrorText } from './tool-error.js';

/** How often subscribed resources are re-read to detect a change. */
const SUBSCRIPTION_POLL_MS = 1_000;

/**
 * The host is untrusted: without a bound, subscribing to one URI after another would grow the
 * server (and its once-a-second re-reads) without end. Far more than any agent watches at once.
 */
export const MAX_SUBSCRIPTIONS = 1_000;

export function serveResources(server: Server, templates: readonly ResourceTemplateDefinition[], ctx: ToolContext): () => void {
  const resolve = (uri: string) => {
    for (const template of templates) {
      const vars = template.match(uri);
      if (vars) return { template, vars };
    }
    throw new McpError(ErrorCode.InvalidParams, `no resource ${uri}; templates: ${templates.map((t) => t.uriTemplate).join(', ')}`);
  };
  const read = async (uri: string) => {
    const { template, vars } = resolve(uri);
    try {
      return await template.read(vars, ctx);
    } catch (err) {
      throw new McpError(ErrorCode.InternalError, toolErrorText(mapError(err, ctx.temporal.env.address)));
    }
  };

  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: templates.map((t) => ({ uriTemplate: t.uriTemplate, name: t.name, title: t.title, description: t.description, mimeType: 'application/json' })),
  }));
  server.setRequestHandler(ListResourcesRequestSchema, async () => {
    const lists = await Promise.all(templates.map((t) => t.list(ctx).catch(() => [])));
    return { resources: lists.flat().map((r) => ({ ...r, mimeType: 'application/json' })) };
  });
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const content = await read(request.params.uri);
    return { contents: [{ uri: request.params.uri, mimeType: 'application/json', text: JSON.stringify(content.body) }] };
  });

  const subscriptions = new Map<string, string | undefined>();
  server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    resolve(request.params.uri);
    if (!subscriptions.has(request.params.uri) && subscriptions.size >= MAX_SUBSCRIPTIONS) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `this server already watches ${MAX_SUBSCRIPTIONS} resources for this host, its limit; unsubscribe from resources no longer needed (resources/unsubscribe) before subscribing to ${request.params.uri}`,
      );
    }
    const current = await read(request.params.uri).catch(() => undefined);
    subscriptions.set(request.params.uri, current?.version);
    return {};
  });
  server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    subscriptions.delete(request.params.uri);
    return {};
  });

  let polling = false;
  const timer = setInterval(() => {
    if (polling || subscriptions.size === 0) return;
    polling = true;
    void (async () => {
      for (const [uri, seen] of subscriptions) {
        const current = await read(uri).catch(() => undefined);
        if (current && current.version !== seen && subscriptions.has(uri)) {
          subscriptions.set(uri, current.version);
          await server.sendResourceUpdated({ uri }).catch(() => undefined);
        }
      }
    })().finally(() => {
      polling = false;
    });
  }, SUBSCRIPTION_POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
