/**
 * Resident memory of the stack's processes, read from /proc (Linux): the worker by its pid, and
 * each MCP server found as a child of this process by the server file on its command line
 * (servers/<group>/server.ts, as mcp.json launches it).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Resident set size in MiB, or undefined when the process is gone (or /proc is not there). */
export function rssMiB(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.replace(/\D+/g, '')) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    // The command name may hold spaces and parentheses: the fields after its closing one are plain.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** The pid of each MCP server this process spawned, by group name. */
export function serverPids(parentPid: number = process.pid): Record<string, number> {
  const found: Record<string, number> = {};
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return found;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (parentOf(pid) !== parentPid) continue;
    const match = /servers\/([a-z]+)\/server\.ts/.exec(commandLine(pid));
    if (match) found[match[1] as string] = pid;
  }
  return found;
}

export interface RssSample {
  worker?: number;
  servers: Record<string, number | undefined>;
}

export function sampleRss(workerPid: number, servers: Record<string, number>): RssSample {
  return { worker: rssMiB(workerPid), servers: Object.fromEntries(Object.entries(servers).map(([name, pid]) => [name, rssMiB(pid)])) };
}
