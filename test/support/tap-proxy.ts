import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A request passing through a tap. */
export interface TappedRequest {
  method: string;
  /** Path and query, as the client sent them. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * What the tap does with a request: pass it on (undefined); stop it before it reaches the server
 * ("before": `hit` runs, then the client's connection is cut, the server never sees it); or let the
 * server do it and run `hit` before the client gets the answer ("after": the work is done, but the
 * client does not learn it).
 */
export type TapRule = (req: TappedRequest) => "before" | "after" | undefined;

export interface Tap {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** `127.0.0.1:PORT` */
  host: string;
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of one server (the GitHub simulator, the fake model), one per client
 * process: what arrives here was sent by that process, so a test can kill the process that made a
 * given request at the moment it made it, with no hook in the app.
 */
export async function startTap(target: string, rule: TapRule, hit: (req: TappedRequest) => Promise<void>): Promise<Tap> {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const tapped: TappedRequest = {
        method: req.method ?? "GET",
        path: req.url ?? "/",
        headers: req.headers,
        body: body.toString("utf8"),
      };
      const when = rule(tapped);
      if (when === "before") {
        void hit(tapped).finally(() => res.destroy());
        return;
      }
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: tapped.method,
          path: tapped.path,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on("data", (c: Buffer) => parts.push(c));
          answer.on("end", () => {
            const send = () => {
              if (res.destroyed) return;
              const headers = { ...answer.headers };
              delete headers["transfer-encoding"];
              res.writeHead(answer.statusCode ?? 502, headers);
              res.end(Buffer.concat(parts));
            };
            if (when === "after") void hit(tapped).finally(send);
            else send();
          });
        },
      );
      forward.on("error", () => res.destroy());
      forward.end(body);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
