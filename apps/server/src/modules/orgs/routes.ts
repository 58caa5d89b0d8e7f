import {
  CreateOrg,
  MoveOrg,
  Org,
  OrgCode,
  OrgDetail,
  OrgList,
  OrgListQuery,
  RenameOrg,
} from '@niangjia/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createOrg, getOrg, listOrgs, moveOrg, renameOrg, setOrgActive } from './service';

const CodeParam = z.object({ code: OrgCode });

export const orgRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['organisations'];
  app.get(
    '/orgs',
    {
      config: { access: 'org:read' },
      schema: {
        tags,
        summary: "The user's own organisation, the children of one, or a search in the scope",
        querystring: OrgListQuery,
        response: { 200: OrgList },
      },
    },
    (req) => req.run((ctx) => listOrgs(ctx, req.query)),
  );
  app.get(
    '/orgs/:code',
    {
      config: { access: 'org:read' },
      schema: {
        tags,
        summary: 'One organisation of the scope (404 outside it)',
        params: CodeParam,
        response: { 200: OrgDetail },
      },
    },
    (req) => req.run((ctx) => getOrg(ctx, req.params.code)),
  );
  app.post(
    '/orgs',
    {
      config: { access: 'org:write' },
      schema: {
        tags,
        summary: 'Add an organisation under a parent',
        body: CreateOrg,
        response: { 201: Org },
      },
    },
    async (req, reply) => reply.code(201).send(await req.run((ctx) => createOrg(ctx, req.body))),
  );
  app.patch(
    '/orgs/:code',
    {
      config: { access: 'org:write' },
      schema: {
        tags,
        summary: 'Rename an organisation',
        params: CodeParam,
        body: RenameOrg,
        response: { 200: Org },
      },
    },
    (req) => req.run((ctx) => renameOrg(ctx, req.params.code, req.body.name)),
  );
  app.post(
    '/orgs/:code/move',
    {
      config: { access: 'org:write' },
      schema: {
        tags,
        summary: 'Move an organisation (with its subtree) under another parent',
        params: CodeParam,
        body: MoveOrg,
        response: { 200: Org },
      },
    },
    (req) => req.run((ctx) => moveOrg(ctx, req.params.code, req.body.parentCode)),
  );
  for (const [path, active] of [
    ['deactivate', false],
    ['activate', true],
  ] as const) {
    app.post(
      `/orgs/:code/${path}`,
      {
        config: { access: 'org:write' },
        schema: {
          tags,
          summary: active
            ? 'Reactivate an organisation'
            : 'Deactivate an organisation without active children',
          params: CodeParam,
          response: { 200: Org },
        },
      },
      (req) => req.run((ctx) => setOrgActive(ctx, req.params.code, active)),
    );
  }
};
