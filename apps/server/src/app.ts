import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { can, type Permission } from '@niangjia/contracts';
import type { Database } from '@niangjia/db';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from './config';
import type { Access, Actor } from './http/context';
import { AppError } from './http/errors';
import { assistanceRoutes } from './modules/assistance/routes';
import { auditRoutes } from './modules/audit/routes';
import { authRoutes, userRoutes } from './modules/identity/routes';
import { resolveSession, SESSION_COOKIE } from './modules/identity/sessions';
import { jobRoutes } from './modules/jobs/routes';
import { orgRoutes } from './modules/orgs/routes';
import { policyRoutes } from './modules/policy/routes';
import { importRoutes } from './modules/registry/import-routes';
import { registryRoutes } from './modules/registry/routes';
import { systemRoutes } from './modules/system/routes';

declare module 'fastify' {
  interface FastifyInstance {
    resolveActor(token: string): Promise<Actor | undefined>;
    /** Every API route with its declared access (the scope test walks them all). */
    apiRoutes: { method: string; url: string; access: Access }[];
  }
}

export interface AppOptions {
  config: Config;
  db: Database;
  sessionSecret: string;
  /** Pino options or an instance; tests pass `false`. */
  logger?: boolean | FastifyBaseLogger | Record<string, unknown>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameOrigin(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
const webDistDefault = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Logger options: structured JSON, no cookies, no bodies, no query strings (they may hold ID numbers). */
export function loggerOptions(level: string) {
  return {
    level,
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    serializers: {
      req: (req: { method: string; url: string; ip?: string }) => ({
        method: req.method,
        path: req.url.split('?')[0],
      }),
    },
  };
}

export async function buildApp({ config, db, sessionSecret, logger }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ?? loggerOptions(config.logLevel),
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();

  // Graceful shutdown: requests in flight finish, and their connections close after the answer
  // instead of idling on keep-alive, which would hold close() open for a minute.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    app.server.closeIdleConnections();
  });
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    // Cross-site request forgery: a change comes from our own pages or from a non-browser client.
    // SameSite=Lax keeps the cookie off cross-site posts; this also refuses other sites of the same
    // host (another port) and any page that is not ours.
    if (SAFE_METHODS.has(req.method)) return;
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    if ((site && site !== 'same-origin' && site !== 'none') || (origin && !sameOrigin(origin, req.host)))
      throw new AppError('forbidden', 'Requests from other sites are refused', { reason: 'cross_site' });
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Ant Design writes its styles at run time (CSS-in-JS).
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: false,
  });
  await app.register(fastifyCookie, { secret: sessionSecret });

  // --- Errors: one shape, one map from code to status; a 500 never shows its cause.
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    const send = (status: number, code: string, message: string, details?: unknown) =>
      reply
        .code(status)
        .send({ error: { code, message, ...(details === undefined ? {} : { details }), requestId: req.id } });
    if (err instanceof AppError) {
      if (err.headers) reply.headers(err.headers);
      return send(err.status, err.code, err.message, err.details);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        path: [
          err.validationContext ?? 'request',
          ...v.instancePath
            .split('/')
            .filter(Boolean)
            .map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
        ],
        message: v.message ?? 'invalid',
      }));
      return send(400, 'validation_failed', 'The request is not valid', details);
    }
    if (isResponseSerializationError(err)) {
      req.log.error(
        { err: { message: err.message, issues: err.cause.issues } },
        'response does not match its schema',
      );
      return send(500, 'internal', 'Internal error');
    }
    const status = (err as FastifyError).statusCode;
    if (status === 413) return send(413, 'payload_too_large', 'The request body is too large');
    if (status === 415) return send(400, 'bad_request', 'Unsupported content type: send application/json');
    if (status && status >= 400 && status < 500) return send(status, 'bad_request', err.message);
    // Name, code and stack only: a database error's detail may quote row values (personal data).
    const e = err as Error & { code?: string };
    req.log.error(
      { err: { type: e.name, code: e.code, message: e.message, stack: e.stack } },
      'unhandled error',
    );
    return send(500, 'internal', 'Internal error');
  });

  // --- Access: every API route declares who may call it, or the server refuses to start.
  const apiRoutes: FastifyInstance['apiRoutes'] = [];
  app.decorate('apiRoutes', apiRoutes);
  app.addHook('onRoute', (route) => {
    const url = route.url;
    const isApi = url.startsWith('/api/v1/') || url === '/healthz' || url === '/readyz';
    if (!isApi) return;
    const access = route.config?.access;
    if (!access) throw new Error(`route ${route.method} ${url} declares no access: set config.access`);
    for (const method of [route.method].flat())
      if (method !== 'HEAD') apiRoutes.push({ method, url, access });
  });

  app.decorate('resolveActor', (token: string) =>
    db.system((tx) =>
      resolveSession(tx, token, { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours }),
    ),
  );

  app.decorateRequest('actor', undefined);
  app.decorateRequest('run', function (this: { actor?: Actor; id: string; ip: string }, fn) {
    const actor = this.actor;
    if (!actor) throw new AppError('unauthenticated', 'Sign in first');
    return db.scoped({ userId: actor.userId, orgPath: actor.orgPath }, (tx) =>
      fn({ tx, actor, requestId: this.id, clientAddress: this.ip ?? null }),
    );
  });

  app.addHook('preHandler', async (req) => {
    const access = req.routeOptions.config?.access as Access | undefined;
    if (!access || access === 'public') return;
    const raw = req.cookies[SESSION_COOKIE];
    const unsigned = raw ? req.unsignCookie(raw) : undefined;
    const actor = unsigned?.valid && unsigned.value ? await app.resolveActor(unsigned.value) : undefined;
    if (!actor) throw new AppError('unauthenticated', 'Sign in first');
    req.actor = actor;
    if (access === 'authenticated') return;
    if (actor.mustChangePassword)
      throw new AppError('forbidden', 'Choose a new password first', { reason: 'password_change_required' });
    if (!can(actor.roles, access as Permission))
      throw new AppError('forbidden', 'You do not have permission to do this');
  });

  // --- OpenAPI, generated from the same Zod schemas that validate.
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'niangjia API',
        description: '娘家 · the workers’ service center platform. Signed-in calls carry the session cookie.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } },
      },
    },
    transform: (doc) => {
      const out = jsonSchemaTransform(doc);
      const access = (doc.route.config as { access?: Access } | undefined)?.access;
      const schema = out.schema as Record<string, unknown>;
      if (access && access !== 'public') {
        schema.security = [{ session: [] }];
        schema.description =
          access === 'authenticated' ? 'Any signed-in user.' : `Requires permission \`${access}\`.`;
      }
      return out;
    },
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(systemRoutes, { db });
  await app.register(
    async (api) => {
      await api.register(authRoutes, { db, config });
      await api.register(userRoutes);
      await api.register(orgRoutes);
      await api.register(auditRoutes);
      await api.register(jobRoutes);
      await api.register(registryRoutes);
      await api.register(importRoutes);
      await api.register(policyRoutes);
      await api.register(assistanceRoutes);
    },
    { prefix: '/api/v1' },
  );

  // --- The web app, built by Vite, with the single-page fallback for its routes.
  const webDist = config.webDist ?? webDistDefault;
  const hasWeb = existsSync(`${webDist}/index.html`);
  if (hasWeb) await app.register(fastifyStatic, { root: webDist, index: 'index.html' });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (hasWeb && req.method === 'GET' && !path.startsWith('/api/') && !path.includes('.'))
      return reply.type('text/html').sendFile('index.html');
    return reply
      .code(404)
      .send({ error: { code: 'not_found', message: 'No such route', requestId: req.id } });
  });
  return app;
}
