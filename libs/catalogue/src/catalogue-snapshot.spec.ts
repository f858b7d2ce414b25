import type { ComponentRecord, UpstreamRecord } from './catalogue.records';
import { CatalogueSnapshot } from './catalogue-snapshot';

const upstream = (id: number, slug: string): UpstreamRecord => ({ id, slug, name: slug.toUpperCase(), homepage: null, mailingList: null, ircChannel: null, trackerUrl: null, webhookUrl: null, forwarding: 'MANUAL', trackerKind: 'NONE', hasWebhookSecret: false, retiredAt: null });
const component = (id: number, slug: string, parentId: number | null, ownerId: number | null): ComponentRecord => ({ id, slug, name: slug, description: null, parentId, ownerId, packageName: null, retiredAt: null });

const snapshot = new CatalogueSnapshot(
  [upstream(1, 'xapi-project'), upstream(2, 'xenserver'), upstream(3, 'debian')],
  [component(10, 'xapi', null, 1), component(11, 'xapi/xenopsd', 10, null), component(12, 'xapi/xenopsd/qemu', 11, null), component(20, 'packaging', null, 2), component(21, 'packaging/debian', 20, 3)],
  [],
);

describe('the catalogue snapshot', () => {
  it('gives a component its own owner', () => {
    expect(snapshot.ownership(10)).toMatchObject({ owner: { slug: 'xapi-project' }, source: { slug: 'xapi' } });
    expect(snapshot.ownership(21)).toMatchObject({ owner: { slug: 'debian' }, source: { slug: 'packaging/debian' } });
  });

  it('lets a component without one inherit the nearest ancestor owner', () => {
    expect(snapshot.ownership(12)).toMatchObject({ owner: { slug: 'xapi-project' }, source: { slug: 'xapi' } });
  });

  it('walks lineages and subtrees', () => {
    expect(snapshot.lineage(12).map((c) => c.id)).toEqual([12, 11, 10]);
    expect(snapshot.subtree(10).map((c) => c.id)).toEqual([10, 11, 12]);
    expect(snapshot.children(null).map((c) => c.slug)).toEqual(['packaging', 'xapi']);
  });

  it('sees cycles', () => {
    expect(snapshot.wouldCycle(10, 12)).toBe(true);
    expect(snapshot.wouldCycle(10, 10)).toBe(true);
    expect(snapshot.wouldCycle(11, 20)).toBe(false);
  });
});
