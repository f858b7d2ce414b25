import { CatalogueSnapshot, type ComponentRecord, type UpstreamRecord } from '@headwaters/catalogue';
import { decideRoute, NoDistributionUpstreamError } from './route-rules';

const upstream = (id: number, slug: string, name: string, retired = false): UpstreamRecord => ({
  id, slug, name, homepage: null, mailingList: null, ircChannel: null, trackerUrl: null, webhookUrl: null, forwarding: 'MANUAL', trackerKind: 'NONE', hasWebhookSecret: false, retiredAt: retired ? new Date() : null,
});
const component = (id: number, slug: string, parentId: number | null, ownerId: number | null): ComponentRecord => ({ id, slug, name: slug, description: null, parentId, ownerId, packageName: null, retiredAt: null });

const upstreams = [upstream(1, 'xenserver', 'xenserver.org'), upstream(2, 'xapi-project', 'Xen Project XAPI sub-project'), upstream(3, 'citrix', 'Citrix', true)];
const components = [component(10, 'xapi', null, 2), component(11, 'xapi/xenopsd', 10, null), component(20, 'xencenter', null, 1), component(30, 'legacy', null, 3), component(31, 'legacy/tool', 30, null)];
const snapshot = new CatalogueSnapshot(upstreams, components, []);

describe('routing rules', () => {
  it('route an item on a component with its own owner to that owner', () => {
    expect(decideRoute(snapshot, 20)).toEqual({ upstreamId: 1, componentId: 20, reason: 'xencenter is owned by xenserver.org' });
    expect(decideRoute(snapshot, 10)).toEqual({ upstreamId: 2, componentId: 10, reason: 'xapi is owned by Xen Project XAPI sub-project' });
  });

  it('say where inherited ownership comes from', () => {
    expect(decideRoute(snapshot, 11)).toEqual({ upstreamId: 2, componentId: 11, reason: 'xapi/xenopsd is owned by Xen Project XAPI sub-project (inherited from xapi)' });
  });

  it('send an item without a component to the distribution, to be triaged', () => {
    expect(decideRoute(snapshot, null)).toEqual({ upstreamId: 1, componentId: null, reason: 'No component given: xenserver.org triages it and finds the upstream that owns it' });
  });

  it('send items of a retired owner to the distribution, saying so', () => {
    expect(decideRoute(snapshot, 31)).toEqual({ upstreamId: 1, componentId: 31, reason: 'legacy/tool is owned by Citrix (inherited from legacy), which is retired: xenserver.org triages it' });
  });

  it('follow an ownership change at once', () => {
    const moved = new CatalogueSnapshot(upstreams, components.map((c) => (c.id === 10 ? { ...c, ownerId: 1 } : c)), []);
    expect(decideRoute(moved, 11).upstreamId).toBe(1);
    expect(decideRoute(moved, 11).reason).toBe('xapi/xenopsd is owned by xenserver.org (inherited from xapi)');
  });

  it('fail loudly when the distribution upstream is missing', () => {
    expect(() => decideRoute(new CatalogueSnapshot([], [], []), null)).toThrow(NoDistributionUpstreamError);
  });
});
