/**
 * `npm run schemas` writes schemas/json/<group>/<tool>.json from the zod contracts;
 * `npm run schemas:check` fails when the committed files differ from the code (CI runs it), so a
 * contract never changes without the change being visible in review.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOL_GROUPS, contractsByGroup } from '../schemas/index.js';
import { toolJsonSchema } from '../schemas/json-schema.js';

const JSON_DIR = join('schemas', 'json');
const mode = process.argv.includes('--write') ? 'write' : process.argv.includes('--check') ? 'check' : undefined;
if (!mode) {
  console.error('usage: tsx scripts/schemas.ts --write | --check');
  process.exit(2);
}

const expected = new Map<string, string>();
for (const group of TOOL_GROUPS) {
  for (const contract of contractsByGroup[group]) {
    expected.set(join(JSON_DIR, group, `${contract.name}.json`), `${JSON.stringify(toolJsonSchema(contract), null, 2)}\n`);
  }
}

function committedFiles(): string[] {
  if (!existsSync(JSON_DIR)) return [];
  return readdirSync(JSON_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(JSON_DIR, f));
}

if (mode === 'write') {
  rmSync(JSON_DIR, { recursive: true, force: true });
  for (const [path, text] of expected) {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  }
  console.log(`wrote ${expected.size} tool schemas under ${JSON_DIR}/`);
} else {
  const problems: string[] = [];
  for (const [path, text] of expected) {
    if (!existsSync(path)) problems.push(`missing ${path}`);
    else if (readFileSync(path, 'utf8') !== text) problems.push(`out of date ${path}`);
  }
  for (const path of committedFiles()) if (!expected.has(path)) problems.push(`no tool for ${path}`);
  if (problems.length) {
    console.error(`${problems.join('\n')}\nThe JSON Schemas differ from the zod contracts: run \`npm run schemas\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${expected.size} tool schemas match the contracts`);
}
