/**
 * Parts of the public contract (docs/contract.graphql) the server does not serve yet, as
 * graphql's findBreakingChanges describes them, in contract-gaps.json. The list may only
 * shrink (`npm run schema` rewrites it); it must be empty once the API is complete.
 */
import gaps from './contract-gaps.json';

export const CONTRACT_GAPS: readonly string[] = gaps;
