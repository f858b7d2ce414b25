import type { AccountService } from '@headwaters/identity';
import type { RequestContext } from '../graphql/request-context';
import { User } from './identity.types';

/** The request's users, one query for all the reporters, authors and actors a response names. */
export async function userOf(context: RequestContext, accounts: AccountService, id: number): Promise<User> {
  const record = await context.loader('users', (ids: readonly number[]) => accounts.usersByIds(ids)).load(id);
  if (!record) throw new Error(`user ${id} is missing`);
  return User.from(record);
}
