/** The README documents every tool the servers serve, with an example. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOOL_GROUPS, contractsByGroup } from '../../schemas/index.js';
import { repoRoot } from '../helpers/mcp-servers.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

describe('README', () => {
  it.each(TOOL_GROUPS.flatMap((g) => contractsByGroup[g].map((c) => [g, c.name] as const)))('lists %s tool %s with an example', (group, name) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| ${group} | \`${name}\` |`));
    expect(row, `README.md has no tools-table row for ${name}`).toBeDefined();
    expect(row).toMatch(/`\{.*\}` \|$/);
  });
});
