import type { MigrationInterface, QueryRunner } from 'typeorm';

const UPSTREAMS = [
  ['xenserver', 'xenserver.org', 'HANDLED_HERE', 'https://xenserver.org', null, null, null],
  ['xen-project', 'Xen Project (hypervisor)', 'MAILING_LIST', 'https://xenproject.org', 'xen-devel@lists.xenproject.org', '#xen', null],
  ['xapi-project', 'Xen Project XAPI sub-project', 'MAILING_LIST', 'https://xapi-project.github.io', 'xen-api@lists.xenproject.org', '#xen-api', 'https://github.com/xapi-project'],
  ['debian', 'Debian (XCP-XAPI packages)', 'MAILING_LIST', 'https://www.debian.org', 'submit@bugs.debian.org', null, 'https://bugs.debian.org'],
  ['ubuntu', 'Ubuntu (XCP-XAPI packages)', 'MANUAL', 'https://ubuntu.com', null, null, 'https://bugs.launchpad.net/ubuntu'],
  ['centos', 'CentOS (the dom0 base system)', 'MANUAL', 'https://www.centos.org', null, null, 'https://bugs.centos.org'],
] as const;

/** slug, name, description, parent slug, owner slug (null: inherited). */
const COMPONENTS = [
  ['xapi', 'XAPI toolstack', 'The XenAPI toolstack: host and pool management, the API every client uses.', null, 'xapi-project'],
  ['xapi/xenopsd', 'xenopsd', 'The domain manager: starts, stops, migrates and suspends VMs.', 'xapi', null],
  ['xapi/networkd', 'xcp-networkd', 'Host networking: bridges, bonds, VLANs.', 'xapi', null],
  ['xapi/rrdd', 'xcp-rrdd', 'Performance metrics and their round-robin databases.', 'xapi', null],
  ['xapi/storage', 'Storage (SM)', 'Storage managers and the storage interface: SRs and VDIs.', 'xapi', null],
  ['xapi/squeezed', 'squeezed', 'Host memory ballooning.', 'xapi', null],
  ['xapi/xe-cli', 'xe CLI', 'The xe command-line interface.', 'xapi', null],
  ['xen', 'Xen hypervisor', 'The Xen hypervisor itself.', null, 'xen-project'],
  ['xencenter', 'XenCenter', 'The Windows-only management console.', null, 'xenserver'],
  ['pv-drivers', 'Windows PV drivers', 'Paravirtualised drivers for Windows guests.', null, 'xenserver'],
  ['installer', 'Installer', 'The host installer.', null, 'xenserver'],
  ['dom0', 'dom0 base system', 'The CentOS-based control domain.', null, 'centos'],
  ['packaging', 'Packaging', 'XenServer and XCP-XAPI packages for other distributions.', null, 'xenserver'],
  ['packaging/debian', 'Debian packaging', 'The XCP-XAPI packages Debian ships.', 'packaging', 'debian'],
  ['packaging/ubuntu', 'Ubuntu packaging', 'The XCP-XAPI packages Ubuntu ships.', 'packaging', 'ubuntu'],
] as const;

const RELEASES = [
  ['xcp-1.6', 'XCP 1.6', null],
  ['xenserver-6.2', 'XenServer 6.2', '2013-06-25T00:00:00Z'],
] as const;

/**
 * The XenServer catalogue, seeded once. Rows that already exist are left as they are, so edits
 * made through the API are never overwritten.
 */
export class SeedXenServerCatalogue1764000000001 implements MigrationInterface {
  name = 'SeedXenServerCatalogue1764000000001';

  async up(db: QueryRunner): Promise<void> {
    for (const [slug, name, forwarding, homepage, mailingList, irc, tracker] of UPSTREAMS) {
      await db.query(
        `INSERT INTO upstream (slug, name, forwarding, homepage, mailing_list, irc_channel, tracker_url) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (slug) DO NOTHING`,
        [slug, name, forwarding, homepage, mailingList, irc, tracker],
      );
    }
    for (const [slug, name, description, parent, owner] of COMPONENTS) {
      await db.query(
        `INSERT INTO component (slug, name, description, parent_id, owner_id)
         VALUES ($1, $2, $3, (SELECT id FROM component WHERE slug = $4), (SELECT id FROM upstream WHERE slug = $5))
         ON CONFLICT (slug) DO NOTHING`,
        [slug, name, description, parent, owner],
      );
    }
    for (const [slug, name, releasedAt] of RELEASES) {
      await db.query(`INSERT INTO release (slug, name, released_at) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING`, [slug, name, releasedAt]);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM release WHERE slug = ANY($1)`, [RELEASES.map((r) => r[0])]);
    for (const [slug] of [...COMPONENTS].reverse()) await db.query(`DELETE FROM component WHERE slug = $1`, [slug]);
    await db.query(`DELETE FROM upstream WHERE slug = ANY($1)`, [UPSTREAMS.map((u) => u[0])]);
  }
}
