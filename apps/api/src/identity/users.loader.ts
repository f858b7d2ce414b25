import type { AccountService } from '@headwaters/identity';
import type { RequestContext } from '../graphql/request-context';
import { User } from './identity.types';

/**
 * The request's users, one query for all the reporters, authors and actors a response names.
 * A user the server already knows (public records never change) is answered at once.
 */
export function userOf(context: RequestContext, accounts: AccountService, id: number): User | Promise<User> {
  const known = accounts.knownUser(id);
  if (known) return User.from(known);
  return context
    .loader('users', (ids: readonly number[]) => accounts.usersByIds(ids))
    .load(id)
    .then((record) => {
      if (!record) throw new Error(`user ${id} is missing`);
      return User.from(record);
    });
}
