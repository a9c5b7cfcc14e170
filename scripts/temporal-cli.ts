/**
 * `npm run temporal:cli`: finds the Temporal CLI, building it with Go on first use, and prints only
 * its path on stdout so shells can capture it: `"$(npm run -s temporal:cli)" workflow list`.
 * Progress goes to stderr.
 */
import { findTemporalCli } from './temporal/find-cli.js';

try {
  const cli = await findTemporalCli({ log: (line) => process.stderr.write(`${line}\n`) });
  process.stderr.write(`temporal:cli: using ${cli.path} (${cli.source})\n`);
  process.stdout.write(`${cli.path}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
