import { InitialSchema1764000000000 } from './1764000000000-InitialSchema';

/** Every migration, in order. Listed explicitly so the build, jest and the CLI all see the same. */
export const MIGRATIONS = [InitialSchema1764000000000];
