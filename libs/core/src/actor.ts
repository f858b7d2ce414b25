/** A right held by a user: ADMIN everywhere, or MAINTAINER of one upstream or one component subtree. */
export interface Grant {
  role: 'ADMIN' | 'MAINTAINER';
  upstreamId: number | null;
  componentId: number | null;
}

/** The signed-in user a request acts for, with the rights they hold. */
export interface Actor {
  userId: number;
  username: string;
  grants: readonly Grant[];
  /** The token the request came with (for "log out" and token listings). */
  tokenId?: number;
}
