import type { TestApp } from './test-app';

/** Until the seeded catalogue lands in this branch: the few rows the item tests use. Idempotent. */
export async function ensureCatalogue(app: TestApp): Promise<void> {
  await app.sql(`INSERT INTO upstream (slug, name, forwarding) VALUES ('xenserver', 'xenserver.org', 'HANDLED_HERE'), ('xapi-project', 'Xen Project XAPI sub-project', 'MAILING_LIST') ON CONFLICT (slug) DO NOTHING`);
  await app.sql(`INSERT INTO component (slug, name, owner_id) SELECT 'xapi', 'XAPI', id FROM upstream WHERE slug = 'xapi-project' ON CONFLICT (slug) DO NOTHING`);
  await app.sql(`INSERT INTO component (slug, name, parent_id) SELECT 'xapi/xenopsd', 'xenopsd', id FROM component WHERE slug = 'xapi' ON CONFLICT (slug) DO NOTHING`);
  await app.sql(`INSERT INTO component (slug, name, owner_id) SELECT 'xencenter', 'XenCenter', id FROM upstream WHERE slug = 'xenserver' ON CONFLICT (slug) DO NOTHING`);
  await app.sql(`INSERT INTO release (slug, name) VALUES ('xenserver-6.2', 'XenServer 6.2') ON CONFLICT (slug) DO NOTHING`);
}
