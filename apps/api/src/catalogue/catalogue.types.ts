import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { FORWARDING_METHODS, TRACKER_KINDS, type ComponentRecord, type ReleaseRecord, type UpstreamRecord } from '@headwaters/catalogue';
import { enumOf, Node, toGlobalId } from '@headwaters/graphql-kit';
import { Subscribable, SubscriptionState } from '../notifications/subscribable.type';

export const ForwardingMethod = enumOf(FORWARDING_METHODS);
registerEnumType(ForwardingMethod, {
  name: 'ForwardingMethod',
  description: 'How an item routed to an upstream reaches it.',
  valuesMap: {
    HANDLED_HERE: { description: 'The upstream triages here; nothing leaves this tracker.' },
    MAILING_LIST: { description: "A message is sent to the upstream's mailing list." },
    WEBHOOK: { description: "A signed HTTP POST is sent to the upstream's webhook." },
    MANUAL: { description: "A maintainer files it in the upstream's own tracker and records the reference." },
  },
});

export const TrackerKind = enumOf(TRACKER_KINDS);
registerEnumType(TrackerKind, {
  name: 'TrackerKind',
  description: "Which kind of tracker an upstream keeps, and so how a forwarded item's record there is read back.",
  valuesMap: {
    NONE: { description: 'None to read back (a mailing list only, or this tracker itself).' },
    GITHUB: { description: "GitHub issues: https://github.com/OWNER/REPO/issues/N, read through GitHub's REST API (GITHUB_API_URL)." },
    DEBBUGS: { description: 'A debbugs tracker such as https://bugs.debian.org/N, read through its SOAP interface.' },
    LAUNCHPAD: { description: "Launchpad: https://bugs.launchpad.net/TARGET/+bug/N, read through Launchpad's REST API (LAUNCHPAD_API_URL)." },
    BUGZILLA: { description: 'A Bugzilla 5: https://HOST/show_bug.cgi?id=N, read through its REST API.' },
  },
});

@ObjectType({ implements: () => [Node, Subscribable], description: "A project that owns components: the Xen Project's XAPI sub-project, xenserver.org, Debian, ..." })
export class Upstream implements Node, Subscribable {
  // Encoded from the record when asked for.
  @Field(() => ID, { description: 'Globally unique and opaque.' })
  get id(): string {
    return toGlobalId('Upstream', this.record.id);
  }

  @Field({ description: 'Short and unique: xapi-project, debian, ...' })
  slug!: string;

  @Field({ description: 'What people call it.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Its web site.' })
  homepage!: string | null;

  @Field(() => String, { nullable: true, description: 'Where to write to it.' })
  mailingList!: string | null;

  @Field(() => String, { nullable: true, description: 'Its IRC channel.' })
  ircChannel!: string | null;

  @Field(() => String, { nullable: true, description: 'Its own bug tracker.' })
  trackerUrl!: string | null;

  @Field(() => ForwardingMethod, { description: 'How items routed to it reach it.' })
  forwarding!: string;

  @Field(() => TrackerKind, { description: 'Which kind of tracker trackerUrl is, so that forwarded items can be read back from it.' })
  trackerKind!: string;

  @Field(() => String, { nullable: true, description: 'For WEBHOOK forwarding: where forwards are POSTed. Its secret is write-only.' })
  webhookUrl!: string | null;

  @Field({ description: 'Retired upstreams own nothing new; their open items go to the distribution.' })
  retired!: boolean;

  // Resolved directly (see notification-direct-fields.ts).
  @Field(() => SubscriptionState, { nullable: true, description: 'How you follow the items routed to it: the state you set, or null when you set none. Null for anonymous viewers.' })
  viewerSubscription?: string | null;

  record!: UpstreamRecord;

  static from(record: UpstreamRecord): Upstream {
    return Object.assign(new Upstream(), {
      slug: record.slug, name: record.name, homepage: record.homepage, mailingList: record.mailingList,
      ircChannel: record.ircChannel, trackerUrl: record.trackerUrl, forwarding: record.forwarding, trackerKind: record.trackerKind, webhookUrl: record.webhookUrl, retired: record.retiredAt !== null, record,
    });
  }
}

@ObjectType({ implements: () => [Node, Subscribable], description: 'A part of XenServer, in a tree; items are filed against components.' })
export class Component implements Node, Subscribable {
  // Encoded from the record when asked for: a page's items name their component, mostly by slug alone.
  @Field(() => ID, { description: 'Globally unique and opaque.' })
  get id(): string {
    return toGlobalId('Component', this.record.id);
  }

  @Field({ description: 'Path-like and unique: xapi, xapi/xenopsd, xencenter, packaging/debian.' })
  slug!: string;

  @Field({ description: 'What people call it.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What it is, in a line.' })
  description!: string | null;

  @Field(() => String, { nullable: true, description: "The upstream's own name for this part where it differs (Debian's source package xcp-xapi); mail forwards name it." })
  packageName!: string | null;

  @Field({ description: 'Retired components take no new items.' })
  retired!: boolean;

  // Resolved directly from the request's catalogue (see catalogue-direct-fields.ts).
  @Field(() => Component, { nullable: true, description: 'The component it belongs to; null for a root.' })
  parent?: Component | null;

  @Field(() => [Component], { description: 'The components right below it, by slug.' })
  children?: Component[];

  @Field(() => Upstream, { description: 'The upstream that owns this component: its own, or inherited from the nearest ancestor.' })
  owner?: Upstream;

  @Field(() => Component, { nullable: true, description: 'Where the owner comes from when inherited: the nearest ancestor with an owner of its own; null when the component has its own.' })
  ownerInheritedFrom?: Component | null;

  // Resolved directly (see notification-direct-fields.ts).
  @Field(() => SubscriptionState, { nullable: true, description: 'How you follow it and its subtree: the state you set, or null when you set none. Null for anonymous viewers.' })
  viewerSubscription?: string | null;

  record!: ComponentRecord;

  static from(record: ComponentRecord): Component {
    return Object.assign(new Component(), {
      slug: record.slug, name: record.name, description: record.description, packageName: record.packageName, retired: record.retiredAt !== null, record,
    });
  }
}

@ObjectType({ implements: () => [Node], description: 'A XenServer or XCP release that bugs affect and fixes land in.' })
export class Release implements Node {
  @Field(() => ID, { description: 'Globally unique and opaque.' })
  id!: string;

  @Field({ description: 'e.g. xenserver-6.2, xcp-1.6' })
  slug!: string;

  @Field({ description: 'What people call it.' })
  name!: string;

  @Field(() => Date, { nullable: true, description: 'When it came out; null while unreleased.' })
  releasedAt!: Date | null;

  @Field({ description: 'Retired releases are hidden from `releases` unless asked for.' })
  retired!: boolean;

  record!: ReleaseRecord;

  static from(record: ReleaseRecord): Release {
    return Object.assign(new Release(), {
      id: toGlobalId('Release', record.id), slug: record.slug, name: record.name, releasedAt: record.releasedAt, retired: record.retiredAt !== null, record,
    });
  }
}
