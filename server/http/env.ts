/** The Hono environment every route shares: Node bindings plus who is asking. */
import type { HttpBindings } from '@hono/node-server';
import type { Principal } from '../auth/principal.ts';

/** Why credentials that were presented did not yield a principal; shown to the caller. */
export type AuthFailure = 'invalid_key' | 'revoked_key' | 'revoked_display' | null;

export type AppEnv = {
  Bindings: HttpBindings;
  Variables: {
    principal: Principal;
    authFailure: AuthFailure;
    /** How the principal was established: cookies need CSRF protection, bearer keys do not. */
    authVia: 'session' | 'display' | 'key' | 'none';
    clientIp: string;
    secure: boolean;
  };
};
