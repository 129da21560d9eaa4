// What every loopback server of the tests does alike: listen on a free port of 127.0.0.1 and say
// where, and stop at once, dropping the connections a client keeps alive.
import type * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export async function listenLoopback(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function closeLoopback(server: http.Server | undefined): Promise<void> {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
}
