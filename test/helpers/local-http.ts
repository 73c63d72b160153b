/** HTTP servers on 127.0.0.1 for a test file, closed with their connections when the file's tests end. */
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after } from "node:test";

const servers: Server[] = [];
after(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** Serves `handler` on a free port of 127.0.0.1 and returns its base URL; the default never answers. */
export async function listenLocal(handler: RequestListener = () => {}): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
