/**
 * CPU time of another process (user + system, its reaped children included), read from Linux's
 * /proc/<pid>/stat: the bench counts the Temporal server's and the servers' CPU with its own, so
 * a figure per order or per tick is what the whole stack spends. Elsewhere it reads as null.
 */
import { readFileSync } from 'node:fs';

/** Linux reports process times in clock ticks of USER_HZ, 100 per second on every mainstream build. */
const CLOCK_TICKS_PER_SEC = 100;

export function processCpuMs(pid: number | null | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after it start past its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime and cstime are fields 14-17, so 11-14 counted from field 3.
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SEC : null;
  } catch {
    return null;
  }
}

/** This process's own CPU time (user + system), in ms. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
