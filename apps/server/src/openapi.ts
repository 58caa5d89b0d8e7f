import { writeFileSync } from 'node:fs';
import { Database } from '@niangjia/db';
import { buildApp } from './app';
import { loadConfig } from './config';

/** The OpenAPI document of the whole API, as the server publishes it at /api/openapi.json. */
export async function openApiDocument(): Promise<unknown> {
  const db = await Database.open({ dataDir: 'memory://', command: 'niangjia openapi' });
  try {
    const app = await buildApp({ config: loadConfig({}), db, sessionSecret: 'x'.repeat(32), logger: false });
    await app.ready();
    const doc = app.swagger();
    await app.close();
    return doc;
  } finally {
    await db.close();
  }
}

export async function writeOpenApi(out?: string): Promise<void> {
  const text = `${JSON.stringify(await openApiDocument(), null, 2)}\n`;
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}
