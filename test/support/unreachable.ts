import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface Unreachable {
  /** `http://127.0.0.1:PORT`: connecting works, every exchange fails with ECONNRESET. */
  url: string;
  close(): Promise<void>;
}

/**
 * An address no request gets through to. A closed server's port would do only until another test's
 * server is given it (then our request lands there), so this one stays bound on its port 0 until
 * closed and resets every connection at once.
 */
export async function startUnreachable(): Promise<Unreachable> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.resetAndDestroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
