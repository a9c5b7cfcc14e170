/**
 * Serves one tool group over stdio: tools/list from the contracts, tools/call through the kit's
 * validation (every unknown key refused, at every level: the strict contract, and reserved-keys.ts
 * for the keys the SDK would drop) and error mapping, and the process lifecycle a host expects (exit when stdin closes
 * or on SIGTERM, closing the Temporal connection; nothing but MCP messages on stdout).
 */
import { existsSync, readFileSync } from 'node:fs';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type ElicitRequestFormParams } from '@modelcontextprotocol/sdk/types.js';
import type { ToolGroup } from '../../schemas/contract.js';
import { strictInput, toolJsonSchema, type ToolJsonSchema } from '../../schemas/json-schema.js';
import type { PromptDefinition, ResourceTemplateDefinition } from './define-resource.js';
import type { ToolDefinition } from './define-tool.js';
import { mapError } from './map-error.js';
import { guardReservedKeys } from './reserved-keys.js';
import { servePrompts } from './serve-prompts.js';
import { serveResources } from './serve-resources.js';
import { lazyTemporal, type LazyTemporal } from '../../temporal/lazy-client.js';
import { linkedSignal } from '../../runtime/linked-signal.js';
import { DEFAULT_TEMPORAL_ADDRESS, temporalEnv } from '../../temporal/temporal-env.js';
import { ToolError, toolErrorText } from './tool-error.js';
import { PACKAGE_VERSION } from './version.js';

/** stdout belongs to the MCP transport; any stray log line would corrupt the stream. */
function keepStdoutForMcp(): void {
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  console.warn = console.error;
}

function temporalFromEnv(): LazyTemporal {
  try {
    return lazyTemporal(temporalEnv());
  } catch (err) {
    // A bad setting must not stop tools/list; every call reports it instead.
    const message = err instanceof Error ? err.message : String(err);
    const failing = lazyTemporal({ address: DEFAULT_TEMPORAL_ADDRESS, explicitAddress: false, namespace: 'default', taskQueue: '' });
    return {
      ...failing,
      client: () => Promise.reject(new ToolError('TEMPORAL_CONFIG', message, "Fix the variable in this server's environment.", false)),
    };
  }
}

/** A person answering an elicitation form gets this long before the question lapses. */
const ELICITATION_TIMEOUT_MS = 10 * 60_000;

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

export interface GroupDefinition {
  group: ToolGroup;
  tools: readonly ToolDefinition[];
  /** Shown to the host's model: what this server is for. */
  instructions: string;
  resources?: readonly ResourceTemplateDefinition[];
  prompts?: readonly PromptDefinition[];
  /**
   * The tools/list answer the build made from these same contracts (scripts/build/server-bundles.ts),
   * read instead of converting every contract to JSON Schema at each start; absent from source.
   */
  listing?: URL;
}

function toolListing(tools: readonly ToolDefinition[], prebuilt: URL | undefined): ToolJsonSchema[] {
  if (prebuilt && existsSync(prebuilt)) return JSON.parse(readFileSync(prebuilt, 'utf8')) as ToolJsonSchema[];
  return tools.map((t) => toolJsonSchema(t.contract));
}

/**
 * Starts the group's server from its entry module. Not awaited at the top level, so the entry also
 * builds as a CommonJS bundle (scripts/build/server-bundles.ts); a server that cannot start says
 * why on stderr and exits 1.
 */
export function runServer(definition: GroupDefinition): void {
  serveGroup(definition).catch((err: unknown) => {
    console.error(`${definition.group} server could not start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}

export async function serveGroup({ group, tools, instructions, resources = [], prompts = [], listing }: GroupDefinition): Promise<void> {
  keepStdoutForMcp();
  const temporal = temporalFromEnv();
  const byName = new Map(tools.map((t) => [t.contract.name, t]));
  const listed = toolListing(tools, listing);
  const strictInputs = new Map(tools.map((t) => [t.contract.name, strictInput(t.contract)]));
  const shutdownController = new AbortController();

  const server = new Server(
    { name: `durable-crypto-agents-${group}`, version: PACKAGE_VERSION },
    {
      capabilities: {
        tools: {},
        ...(resources.length ? { resources: { subscribe: true } } : {}),
        ...(prompts.length ? { prompts: {} } : {}),
      },
      instructions,
    },
  );
  const serverContext = { temporal, signal: shutdownController.signal };
  const stopResources = resources.length ? serveResources(server, resources, serverContext) : () => undefined;
  if (prompts.length) servePrompts(server, prompts, serverContext);

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const tool = byName.get(request.params.name);
    if (!tool) {
      const known = [...byName.keys()].join(', ') || 'none yet';
      return errorResult(`UNKNOWN_TOOL: the ${group} server has no tool ${request.params.name}. Its tools: ${known}.`);
    }
    const parsed = (strictInputs.get(tool.contract.name) ?? strictInput(tool.contract)).safeParse(request.params.arguments ?? {});
    if (!parsed.success) {
      return errorResult(toolErrorText(mapError(parsed.error, temporal.env.address)));
    }
    // Linked by hand, not with AbortSignal.any: the shutdown signal lives as long as the server,
    // and a composite of it is kept for good by the first listener never taken off (see
    // runtime/linked-signal.ts); release() leaves nothing of this call on the shutdown signal.
    const { signal, release } = linkedSignal([extra.signal, shutdownController.signal]);
    try {
      const elicit = server.getClientCapabilities()?.elicitation?.form
        ? (request: ElicitRequestFormParams) =>
            server.elicitInput(request, { signal, timeout: ELICITATION_TIMEOUT_MS, relatedRequestId: extra.requestId })
        : undefined;
      const output = tool.contract.output.parse(await tool.run(parsed.data, { temporal, signal, ...(elicit ? { elicit } : {}) }));
      return { content: [{ type: 'text', text: JSON.stringify(output) }], structuredContent: output };
    } catch (err) {
      return errorResult(toolErrorText(mapError(err, temporal.env.address)));
    } finally {
      release();
    }
  });

  let closing = false;
  const shutdown = async (exitCode: number) => {
    if (closing) return;
    closing = true;
    shutdownController.abort();
    stopResources();
    // A hung connection must not keep a host waiting on our exit.
    setTimeout(() => process.exit(exitCode), 1500).unref();
    await server.close().catch(() => undefined);
    await temporal.close();
    process.exit(exitCode);
  };
  process.stdin.on('end', () => void shutdown(0));
  process.stdin.on('close', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGINT', () => void shutdown(0));
  process.on('uncaughtException', (err) => {
    console.error(`${group} server: ${err.message}`);
    void shutdown(1);
  });

  // `__proto__` and its kin are refused before the SDK copies the arguments and loses them.
  await server.connect(guardReservedKeys(new StdioServerTransport()));
}
