import type { AddressInfo } from 'node:net';

export interface EmbeddedDynamo {
  /** `http://127.0.0.1:<port>`, for the DynamoDB client's endpoint override. */
  endpoint: string;
  close(): Promise<void>;
}

/**
 * dynalite in process, in memory, on a free loopback port: the CLI and demo default (nothing to
 * install or run) and the test backend (the real DynamoDB wire protocol and conditional writes).
 * Data lives only as long as the process. dynalite has no TTL and no transactions, which is why
 * the ledger uses neither for correctness.
 */
export async function startEmbeddedDynamo({ createTableMs = 0 }: { createTableMs?: number } = {}): Promise<EmbeddedDynamo> {
  // Loaded only here: a process with a configured table (and the Lambda bundle) never needs it.
  const { default: dynalite } = await import('dynalite');
  const server = dynalite({ createTableMs, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive sockets from the SDK would otherwise hold close() open.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
