import type { Permission, Role } from '@niangjia/contracts';
import type { Tx } from '@niangjia/db';

/** The signed-in user a request acts for, resolved from its session by the access hook. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  orgId: string;
  orgCode: string;
  orgName: string;
  orgLevel: string;
  /** The organisation's path: the prefix of every path in the actor's scope. */
  orgPath: string;
  roles: Role[];
  permissions: Permission[];
  mustChangePassword: boolean;
  sessionTokenHash: string;
}

/** What every service call receives: the scoped transaction and who asks, from where. */
export interface Ctx {
  tx: Tx;
  actor: Actor;
  requestId: string;
  clientAddress: string | null;
}

/** Who may call a route: anyone, any signed-in user, or holders of one permission. */
export type Access = 'public' | 'authenticated' | Permission;

/** The actor of a request whose route requires sign-in (the access hook has set it). */
export function signedIn(req: { actor?: Actor }): Actor {
  if (!req.actor) throw new Error('signedIn() on a route without sign-in');
  return req.actor;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor?: Actor;
    /** Runs `fn` in one transaction limited to the actor's scope (row-level security). */
    run<T>(fn: (ctx: Ctx) => Promise<T>): Promise<T>;
  }
}
