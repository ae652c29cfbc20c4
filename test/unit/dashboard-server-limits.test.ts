import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { PerformanceStore } from '../../src/core/store.js';
import { type DashboardServer, serveDashboard } from '../../src/dashboard/index.js';
import { IDLE_SOCKET_MS, MAX_DASHBOARD_CONNECTIONS } from '../../src/dashboard/server.js';
import { ModelLearner } from '../../src/learner/index.js';
import { outcomesOf, T0 } from '../support/learner-fixture.js';
import { MemoryStore } from '../support/memory-store.js';

const servers: DashboardServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A store that counts summaries: each rendering of the page asks for the trend, the version check never does. */
function countingStore(): { store: PerformanceStore; summaries: () => number } {
  const store = new MemoryStore();
  let summaries = 0;
  const summarize = store.summarize.bind(store);
  store.summarize = (query) => {
    summaries += 1;
    return summarize(query);
  };
  return { store, summaries: () => summaries };
}

/** Resolves once the server has closed the socket (or never, for one it keeps). */
function closedByServer(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

describe('the live dashboard server under load', () => {
  it('serves a cached page until the data version changes', async () => {
    const { store, summaries } = countingStore();
    await store.recordMany(outcomesOf('execute-task', 'gpt-4o', 3, 1, T0));
    const server = await serveDashboard({ learner: new ModelLearner(store) });
    servers.push(server);
    const first = await (await fetch(server.url)).text();
    const rendered = summaries();
    for (let request = 0; request < 5; request += 1) expect(await (await fetch(server.url)).text()).toBe(first);
    expect(summaries()).toBe(rendered);
    await store.record({ taskType: 'plan-slice', modelId: 'gpt-4o', success: true });
    expect(await (await fetch(server.url)).text()).toContain('data-task="plan-slice"');
    expect(summaries()).toBeGreaterThan(rendered);
  });

  it(`drops connections past ${MAX_DASHBOARD_CONNECTIONS}, and closes idle sockets`, async () => {
    const server = await serveDashboard({ learner: new ModelLearner(new MemoryStore()) });
    servers.push(server);
    const { port } = new URL(server.url);
    const extra = 20;
    const closes: Array<Promise<void>> = [];
    for (let index = 0; index < MAX_DASHBOARD_CONNECTIONS + extra; index += 1) {
      const socket = connect(Number(port), '127.0.0.1');
      socket.on('error', () => {});
      sockets.push(socket);
      closes.push(closedByServer(socket));
      await new Promise((resolve) => socket.once('connect', resolve));
    }
    // The ones past the cap are dropped at once; every idle one is closed after IDLE_SOCKET_MS.
    const closedEarly = await Promise.race([
      Promise.all(closes.slice(MAX_DASHBOARD_CONNECTIONS)).then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), IDLE_SOCKET_MS / 2)),
    ]);
    expect(closedEarly).toBe(true);
    await Promise.all(closes);
    // Once the idle sockets are gone, the server answers again.
    expect((await fetch(server.url)).status).toBe(200);
  }, 40_000);
});
