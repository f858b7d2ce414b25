import type { EntityManager } from 'typeorm';

/** The transaction a use case runs in; passed explicitly to everything it calls. */
export type Tx = EntityManager;
