/**
 * A TCP port on 127.0.0.1 that is free right now, for starting a throwaway Temporal dev server
 * without colliding with a developer's own server on 7233.
 */
import { createServer } from 'node:net';

/**
 * Binds 127.0.0.1:0 so the kernel picks a free port, reads it and releases it. Another process can
 * still take the port before the caller binds it; callers that start a server on it fail loudly then.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close((closeError) => {
        if (closeError) reject(closeError);
        else if (port === undefined) reject(new Error('freePort: the OS did not report a bound port'));
        else resolve(port);
      });
    });
  });
}
