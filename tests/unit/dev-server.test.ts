/**
 * Starts a real Temporal dev server (in memory, headless, on a free port) with the project's CLI,
 * checks it answers as a Temporal frontend, that a second start reuses it, and that stop() frees
 * the port.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { findTemporalCli } from '../../scripts/temporal/find-cli.js';
import { startDevServer, waitForTemporal } from '../../scripts/temporal/dev-server.js';
import { freePort } from '../../scripts/temporal/free-port.js';

function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

describe('startDevServer', () => {
  it('starts, answers getSystemInfo, is reused on the same port and frees the port on stop', { timeout: 60_000 }, async () => {
    const cli = await findTemporalCli();
    const port = await freePort();
    const output: string[] = [];
    const server = await startDevServer({ cliPath: cli.path, port, headless: true, log: (line) => output.push(line) });
    try {
      expect(server.address).toBe(`127.0.0.1:${port}`);
      expect(server.reused).toBe(false);
      expect(server.uiUrl).toBeUndefined();

      await waitForTemporal(server.address, 10_000);
      const connection = await Connection.connect({ address: server.address });
      try {
        const info = await connection.workflowService.getSystemInfo({});
        expect(info.serverVersion).toBeTruthy();
      } finally {
        await connection.close();
      }

      const again = await startDevServer({ cliPath: cli.path, port, headless: true });
      expect(again).toMatchObject({ address: server.address, reused: true });
      // Stopping the reusing handle must leave the owner's server running.
      await again.stop();
      await waitForTemporal(server.address, 5_000);
    } finally {
      await server.stop();
    }
    expect(await isPortOpen(port)).toBe(false);
  });

  it('fails fast with the server output when the CLI exits before it is ready', async () => {
    const cli = await findTemporalCli();
    const port = await freePort();
    // A folder where the SQLite file should be: the server cannot open it and exits.
    const notAFile = mkdtempSync(join(tmpdir(), 'dca-dev-server-'));
    const started = Date.now();
    await expect(startDevServer({ cliPath: cli.path, port, headless: true, dbFile: notAFile })).rejects.toThrow(
      /exited with code \d+ before it was ready[\s\S]*Last output:[\s\S]*SQLite/,
    );
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
