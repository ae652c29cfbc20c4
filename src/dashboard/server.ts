import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeError, ModelPerfError } from '../core/errors.js';
import type { ModelLearner } from '../learner/index.js';
import { collectDashboardData, dataVersion } from './collect.js';
import { contentSecurityPolicy, renderDashboard } from './render.js';

/** The dashboard shows what a store holds, which is nobody else's business: loopback only. */
const LOOPBACK = '127.0.0.1';
const VERSION_PATH = '/version';
/**
 * A tab or two polls this server; without a cap, a local process holding thousands of idle sockets would
 * exhaust its file descriptors. Past the cap, new connections are dropped until one closes.
 */
export const MAX_DASHBOARD_CONNECTIONS = 64;
/** A socket silent this long is closed: an idle one must not hold a slot of the cap for ever. */
export const IDLE_SOCKET_MS = 10_000;
/** The whole of a request's headers, and of a request, must arrive within these. */
const HEADERS_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 10_000;
/** The page's poll comes every 2 s: a kept-alive connection outlives one poll, not many. */
const KEEP_ALIVE_MS = 5_000;

export interface ServeOptions {
  learner: ModelLearner;
  /** Default 0: a free port chosen by the system (read it from `url`). */
  port?: number;
  /** Only '127.0.0.1' is accepted; any other value fails with MP_CONFIG. */
  host?: string;
  /** UTC days of the trend. Default 30. */
  days?: number;
  title?: string;
}

export interface DashboardServer {
  /** e.g. http://127.0.0.1:41234/ */
  url: string;
  /** Stops the server and drops open connections; idempotent. Leaves the learner's store open. */
  close(): Promise<void>;
}

function checkAddress(host: string, port: number): void {
  if (host !== LOOPBACK) {
    throw new ModelPerfError(
      'MP_CONFIG',
      `The dashboard serves on ${LOOPBACK} only, not ${JSON.stringify(host)}: it shows the store's data, which must not be reachable from other machines. Leave host out, or reach it through an SSH tunnel.`,
      { field: 'host' },
    );
  }
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ModelPerfError(
      'MP_CONFIG',
      `Invalid dashboard port ${String(port)}: expected 0 (any free port) to 65535`,
      {
        field: 'port',
      },
    );
  }
}

function send(response: ServerResponse, status: number, contentType: string, body: string, headers = {}): void {
  response.writeHead(status, {
    'content-type': contentType,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...headers,
  });
  response.end(body);
}

/**
 * Serves the dashboard on 127.0.0.1: GET / serves the page (rendered again when the data changed), GET /version returns a token of
 * the store's aggregates. The served page polls /version every 2 s and reloads when the token changes.
 * Rejects with the learner's error when the dashboard cannot be collected (bad `days`, closed store), so
 * that a misconfiguration shows at start rather than on the first page view.
 */
export async function serveDashboard(options: ServeOptions): Promise<DashboardServer> {
  const { learner, port = 0, host = LOOPBACK, days, title } = options;
  checkAddress(host, port);
  const collectOptions = days === undefined ? {} : { days };
  await collectDashboardData(learner, collectOptions);

  // Only our own host names: a page on another site that rebinds its DNS name to 127.0.0.1 sends its own.
  let allowedHosts: ReadonlySet<string> = new Set();
  // The page is rendered again only when the data (or the day, which moves the trend's window) changed.
  let cached: { key: string; page: string } | undefined;
  const currentPage = async (): Promise<string> => {
    const key = `${dataVersion(await learner.store.listStats())}|${new Date().toISOString().slice(0, 10)}`;
    if (cached?.key === key) return cached.page;
    const data = await collectDashboardData(learner, collectOptions);
    const page = renderDashboard(data, {
      ...(title === undefined ? {} : { title }),
      refresh: { versionUrl: VERSION_PATH },
    });
    cached = { key, page };
    return page;
  };
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (!allowedHosts.has(request.headers.host ?? '')) {
      send(response, 403, 'text/plain; charset=utf-8', 'Forbidden: unexpected Host header\n');
      return;
    }
    const { pathname } = new URL(request.url ?? '/', `http://${LOOPBACK}`);
    if (pathname !== '/' && pathname !== VERSION_PATH) {
      send(response, 404, 'text/plain; charset=utf-8', 'Not found\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed\n', { allow: 'GET, HEAD' });
      return;
    }
    if (pathname === VERSION_PATH) {
      send(response, 200, 'text/plain; charset=utf-8', dataVersion(await learner.store.listStats()));
      return;
    }
    send(response, 200, 'text/html; charset=utf-8', await currentPage(), {
      'content-security-policy': `${contentSecurityPolicy(true)}; frame-ancestors 'none'`,
    });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A store that fails mid-session (closed, locked) gets a page saying so, not a dead server.
      if (!response.headersSent) {
        send(
          response,
          500,
          'text/plain; charset=utf-8',
          `The dashboard could not read the store: ${describeError(error)}\n`,
        );
      } else {
        response.destroy();
      }
    });
  });
  server.maxConnections = MAX_DASHBOARD_CONNECTIONS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.setTimeout(IDLE_SOCKET_MS);
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new ModelPerfError('MP_CONFIG', `The dashboard cannot listen on ${LOOPBACK}:${port}: ${describeError(error)}`, {
          cause: error,
          field: 'port',
        }),
      ),
    );
    server.listen(port, LOOPBACK, () => resolve(server.address() as AddressInfo));
  });
  allowedHosts = new Set([`${LOOPBACK}:${address.port}`, `localhost:${address.port}`]);

  let closing: Promise<void> | undefined;
  return {
    url: `http://${LOOPBACK}:${address.port}/`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The page's keep-alive connection would otherwise hold close() open until it times out.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
