import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { freshDatabase, testConfig } from './harness';

describe('graceful shutdown', () => {
  it('finishes a request in flight, refuses new ones, then closes the database', async () => {
    const db = await freshDatabase();
    const app = await buildApp({ config: testConfig(), db, sessionSecret: 's'.repeat(32), logger: false });
    app.get('/slow', { config: { access: 'public' } }, async () => {
      await sleep(600);
      return { done: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const inFlight = fetch(`${url}/slow`);
    await sleep(150);
    // What serve.ts does on SIGTERM: close the server (waits for requests in flight), then the database.
    const closing = app.close().then(() => db.close());
    await sleep(50);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    const res = await inFlight;
    expect(res.headers.get('connection')).toBe('close');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closing;
  });
});
