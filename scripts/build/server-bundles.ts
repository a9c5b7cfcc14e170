/**
 * One bundle per MCP server (dist/bundle/<group>/server.cjs), made from the compiled dist/ by
 * esbuild. A host's cold start is mostly Node reading and compiling modules: one minified file
 * compiles several times faster than the hundreds of files the tsc output and its dependencies are
 * spread over, and being a script (CommonJS) it can be compiled from V8's code cache
 * (bin/server-loader.js), which an ES module cannot on Node 20. The Temporal client inside it is
 * reached only through its dynamic import (temporal/client-sdk.ts), so tools/list never runs it.
 * Each server's tools/list answer is written beside it (tools.json): no start converts contracts.
 */
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOL_GROUPS, contractsByGroup } from '../../schemas/index.js';
import { toolJsonSchema } from '../../schemas/json-schema.js';

export const SERVER_BUNDLE_DIR = join('dist', 'bundle');

/** Where the bundled server of a group lands (relative to the package root). */
export const serverBundlePath = (group: string): string => join(SERVER_BUNDLE_DIR, group, 'server.cjs');

// The entries locate tools.json by import.meta.url, which a CommonJS bundle has no value for.
const IMPORT_META_URL_SHIM = "const __dcaImportMetaUrl = require('node:url').pathToFileURL(__filename).href;";

export async function buildServerBundles(): Promise<string[]> {
  await Promise.all(
    TOOL_GROUPS.map((group) =>
      build({
        entryPoints: [join('dist', 'servers', group, 'server.js')],
        outfile: serverBundlePath(group),
        bundle: true,
        minify: true,
        // No source map: 8 MB per server in the package. The unbundled dist/servers/<group>/server.js
        // runs the same code with readable stack traces.
        format: 'cjs',
        platform: 'node',
        target: 'node20',
        banner: { js: IMPORT_META_URL_SHIM },
        define: { 'import.meta.url': '__dcaImportMetaUrl' },
        logLevel: 'warning',
      }),
    ),
  );
  // The tools/list answer of each server, made once here instead of at every start (servers/kit/serve-group.ts).
  for (const group of TOOL_GROUPS) {
    writeFileSync(join(SERVER_BUNDLE_DIR, group, 'tools.json'), JSON.stringify(contractsByGroup[group].map(toolJsonSchema)));
  }
  return TOOL_GROUPS.map(serverBundlePath);
}
