import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type DashboardServer, serveDashboard } from '../../src/dashboard/index.js';
import { outcomesOf, STORE_BACKENDS, T0, useLearners } from '../support/learner-fixture.js';

const [memory] = STORE_BACKENDS;
if (memory === undefined) throw new Error('the learner fixture has no backends');

/** A raw request, for what fetch() refuses to send (a foreign Host header). */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const call = request(url, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    call.on('error', reject);
    call.end();
  });
}

describe('serveDashboard', () => {
  const learners = useLearners(memory);
  const servers: DashboardServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  async function serve(options: { days?: number; title?: string } = {}) {
    const setup = await learners.open();
    await setup.store.recordMany(outcomesOf('execute-task', '<img src=x onerror=alert(1)>', 3, 1, T0));
    const server = await serveDashboard({ learner: setup.learner, ...options });
    servers.push(server);
    return { ...setup, server };
  }

  it('listens on 127.0.0.1 on a free port', async () => {
    const { server } = await serve();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(new URL(server.url).port).not.toBe('0');
  });

  it('serves the dashboard at /, freshly rendered, with the refresh script', async () => {
    const { server, learner } = await serve({ title: 'Fleet' });
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'.*frame-ancestors 'none'$/);
    const page = await response.text();
    expect(page).toContain('<h1>Fleet</h1>');
    expect(page).toContain('data-task="execute-task"');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img');
    expect(page).toContain('data-version-url="/version"');
    expect(page).toContain('<script>');

    await learner.recordOutcome('plan-slice', 'gpt-4o', { success: true });
    expect(await (await fetch(server.url)).text()).toContain('data-task="plan-slice"');
  });

  it('answers /version with a token that matches the page and changes with the data', async () => {
    const { server, learner } = await serve();
    const versionUrl = new URL('/version', server.url);
    const response = await fetch(versionUrl);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const token = await response.text();
    expect(token).toMatch(/^[\w-]{16}$/);
    expect(await (await fetch(server.url)).text()).toContain(`data-version="${token}"`);
    expect(await (await fetch(versionUrl)).text()).toBe(token);

    await learner.recordOutcome('execute-task', 'gpt-4o', { success: false });
    expect(await (await fetch(versionUrl)).text()).not.toBe(token);
  });

  it('answers 404 to other paths and 405 to other methods', async () => {
    const { server } = await serve();
    for (const path of ['/index.html', '/version/', '/favicon.ico', '/../etc/passwd']) {
      expect((await fetch(new URL(path, server.url))).status, path).toBe(404);
    }
    const post = await fetch(server.url, { method: 'POST', body: 'x' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    expect((await fetch(`${server.url}?refresh=1`)).status).toBe(200);
  });

  it('refuses requests for another host name (DNS rebinding)', async () => {
    const { server } = await serve();
    const { port } = new URL(server.url);
    expect(await getWithHost(server.url, `evil.example:${port}`)).toBe(403);
    expect(await getWithHost(server.url, `localhost:${port}`)).toBe(200);
  });

  it('says what went wrong when the store fails after it started', async () => {
    const { server, store } = await serve();
    await store.close();
    const response = await fetch(server.url);
    expect(response.status).toBe(500);
    expect(await response.text()).toMatch(/could not read the store: .*MP_CLOSED|closed/i);
  });

  it('refuses any host but 127.0.0.1 with MP_CONFIG, before listening', async () => {
    const { learner } = await learners.open();
    for (const host of ['0.0.0.0', '::', 'localhost', '192.168.1.10', '']) {
      await expect(serveDashboard({ learner, host }), host).rejects.toMatchObject({
        name: 'ModelPerfError',
        code: 'MP_CONFIG',
        field: 'host',
      });
    }
  });

  it('refuses a bad port with MP_CONFIG, and a port in use', async () => {
    const { learner, server } = await serve();
    for (const port of [-1, 65_536, 1.5, Number.NaN]) {
      await expect(serveDashboard({ learner, port }), String(port)).rejects.toMatchObject({ code: 'MP_CONFIG' });
    }
    const taken = Number(new URL(server.url).port);
    await expect(serveDashboard({ learner, port: taken })).rejects.toMatchObject({
      code: 'MP_CONFIG',
      message: expect.stringContaining(`127.0.0.1:${taken}`),
    });
  });

  it("rejects a bad trend window at start with the learner's error", async () => {
    const { learner } = await learners.open();
    await expect(serveDashboard({ learner, days: 0 })).rejects.toMatchObject({ code: 'MP_INVALID_QUERY' });
  });

  it('closes idempotently, after which nothing answers', async () => {
    const { server } = await serve();
    await fetch(server.url);
    await Promise.all([server.close(), server.close()]);
    await server.close();
    await expect(fetch(server.url)).rejects.toThrow();
  });
});
