/**
 * What an export holds, table by table. Every table of the `public` schema is in exactly one of
 * these lists: a test fails when a migration adds a table to neither, and `exportSnapshot`
 * refuses to run. Tables outside `public` (the job queue's `pgboss` schema) are never exported.
 */

/** Tables exported whole, in an order where every row's references come before it. */
export const EXPORTED_TABLES = [
  'upstream',
  'component',
  'release',
  'app_user',
  'role_grant',
  'notification_setting',
  'item_counter',
  'item',
  'item_release',
  'vote',
  'comment',
  'timeline_event',
  'forward',
  'attachment',
  'attachment_chunk',
  'held_mail',
  'github_hook_delivery',
  'subscription',
  'notification',
  'webhook',
  'delivery',
  'webhook_delivery',
  // Kept by triggers on item, exported as they are rather than rebuilt (the import loads items
  // with those triggers off).
  'component_word',
  'component_word_stats',
  // The key that signs unsubscribe links: without it, the links of every mail already sent break.
  'app_secret',
] as const;

/** Tables left out on purpose, with the reason the documentation gives. */
export const EXCLUDED_TABLES: Readonly<Record<string, string>> = {
  migrations: 'the schema level: recorded in the header; the import runs the migrations itself',
  access_token: 'sessions and access tokens are never exported: everyone signs in again and makes new tokens',
  account_token: 'one-time e-mail verification and password-reset links: short-lived secrets',
  login_failure: 'login throttling state of the last minutes',
  api_usage: "the hourly cost budgets' counters (rate buckets)",
  health_probe: 'the readiness probe writes a row per instance',
  persisted_query: 'a cache of persisted query documents: clients send them again when asked',
  notification_fanout: "job bookkeeping of large notification fan-outs (the notifications themselves are exported)",
  bench_dataset: "the benchmark generator's marker of a generated dataset (only in benchmark clusters)",
};

/** Exported tables that the migrations already fill (the seeded catalogue): an import replaces their rows. */
export const SEEDED_TABLES: readonly string[] = ['upstream', 'component', 'release', 'item_counter', 'component_word', 'component_word_stats'];
