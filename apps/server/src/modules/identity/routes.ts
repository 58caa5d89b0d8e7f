import {
  ChangePassword,
  CreateUser,
  ErrorBody,
  Login,
  Me,
  ResetPassword,
  UpdateUser,
  User,
  UserId,
  UserList,
  UserListQuery,
} from '@niangjia/contracts';
import type { Database } from '@niangjia/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config';
import { signedIn } from '../../http/context';
import { changeOwnPassword, login, logout, meOf } from './auth';
import { hashPassword } from './passwords';
import { SESSION_COOKIE } from './sessions';
import { createUser, getUser, listUsers, resetPassword, setUserActive, updateUser } from './users';

const NoContent = z.undefined().describe('Done');

export interface IdentityOptions {
  db: Database;
  config: Config;
}

export const authRoutes: FastifyPluginAsyncZod<IdentityOptions> = async (app, { db, config }) => {
  const policy = { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours };

  app.post(
    '/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['identity'],
        summary: 'Sign in: sets the httpOnly session cookie',
        body: Login,
        response: { 200: Me, 401: ErrorBody, 429: ErrorBody },
      },
    },
    async (req, reply) => {
      const { token } = await login(db, req.body, {
        requestId: req.id,
        clientAddress: req.ip,
        policy,
      });
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.cookieSecure === 'auto' ? req.protocol === 'https' : config.cookieSecure,
        signed: true,
        maxAge: policy.maxHours * 3600,
      });
      const actor = await req.server.resolveActor(token);
      if (!actor) throw new Error('a session just created could not be resolved');
      return meOf(actor);
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['identity'], summary: 'Sign out: ends this session', response: { 204: NoContent } },
    },
    async (req, reply) => {
      await req.run(logout);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );

  app.get(
    '/me',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['identity'],
        summary: 'The signed-in user, organisation, roles and permissions',
        response: { 200: Me },
      },
    },
    async (req) => meOf(signedIn(req)),
  );

  app.post(
    '/me/password',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['identity'],
        summary: 'Change your own password (other sessions end)',
        body: ChangePassword,
        response: { 204: NoContent, 400: ErrorBody, 429: ErrorBody },
      },
    },
    async (req, reply) => {
      await changeOwnPassword(db, signedIn(req), req.body, req.ip, (fn) => req.run(fn));
      return reply.code(204).send();
    },
  );
};

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['identity'];
  app.get(
    '/users',
    {
      config: { access: 'user:read' },
      schema: {
        tags,
        summary: 'Users of the scope',
        querystring: UserListQuery,
        response: { 200: UserList },
      },
    },
    (req) => req.run((ctx) => listUsers(ctx, req.query)),
  );
  app.post(
    '/users',
    {
      config: { access: 'user:write' },
      schema: { tags, summary: 'Create a user', body: CreateUser, response: { 201: User } },
    },
    async (req, reply) => {
      const passwordHash = await hashPassword(req.body.password);
      const user = await req.run((ctx) => createUser(ctx, req.body, passwordHash));
      return reply.code(201).send(user);
    },
  );
  app.get(
    '/users/:id',
    {
      config: { access: 'user:read' },
      schema: { tags, summary: 'One user', params: UserId, response: { 200: User } },
    },
    (req) => req.run((ctx) => getUser(ctx, req.params.id)),
  );
  app.patch(
    '/users/:id',
    {
      config: { access: 'user:write' },
      schema: {
        tags,
        summary: 'Change display name, organisation or roles',
        params: UserId,
        body: UpdateUser,
        response: { 200: User },
      },
    },
    (req) => req.run((ctx) => updateUser(ctx, req.params.id, req.body)),
  );
  for (const [path, active] of [
    ['deactivate', false],
    ['activate', true],
  ] as const) {
    app.post(
      `/users/:id/${path}`,
      {
        config: { access: 'user:write' },
        schema: {
          tags,
          summary: active ? 'Reactivate a user' : 'Deactivate a user (signs them out everywhere)',
          params: UserId,
          response: { 200: User },
        },
      },
      (req) => req.run((ctx) => setUserActive(ctx, req.params.id, active)),
    );
  }
  app.post(
    '/users/:id/password',
    {
      config: { access: 'user:write' },
      schema: {
        tags,
        summary: 'Reset a password: the user must choose a new one at next sign-in',
        params: UserId,
        body: ResetPassword,
        response: { 204: NoContent },
      },
    },
    async (req, reply) => {
      const passwordHash = await hashPassword(req.body.password);
      await req.run((ctx) => resetPassword(ctx, req.params.id, passwordHash));
      return reply.code(204).send();
    },
  );
};
