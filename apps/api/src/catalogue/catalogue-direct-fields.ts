import { Injectable } from '@nestjs/common';
import { CatalogueReader } from '@headwaters/catalogue';
import { DirectFields } from '../graphql/direct-fields';
import type { Route } from '../routing/route.type';
import { withCatalogue } from './catalogue-context';
import { Component, Upstream } from './catalogue.types';

/** The tree and route fields, answered from the request's catalogue snapshot in memory. */
@Injectable()
export class CatalogueDirectFields {
  constructor(fields: DirectFields, reader: CatalogueReader) {
    fields.register<Component>(['Component'], 'parent', (component, context) =>
      withCatalogue(context, reader, (snapshot) => {
        const parent = component.record.parentId === null ? undefined : snapshot.components.get(component.record.parentId);
        return parent ? Component.from(parent) : null;
      }),
    );
    fields.register<Component>(['Component'], 'children', (component, context) => withCatalogue(context, reader, (snapshot) => snapshot.children(component.record.id).map(Component.from)));
    fields.register<Component>(['Component'], 'owner', (component, context) =>
      withCatalogue(context, reader, (snapshot) => {
        const ownership = snapshot.ownership(component.record.id);
        if (!ownership) throw new Error(`component ${component.slug} has no owner`);
        return Upstream.from(ownership.owner);
      }),
    );
    fields.register<Component>(['Component'], 'ownerInheritedFrom', (component, context) =>
      withCatalogue(context, reader, (snapshot) => {
        const ownership = snapshot.ownership(component.record.id);
        return ownership && ownership.source.id !== component.record.id ? Component.from(ownership.source) : null;
      }),
    );
    fields.register<Route>(['Route'], 'upstream', (route, context) => withCatalogue(context, reader, (snapshot) => Upstream.from(snapshot.upstreams.get(route.upstreamId)!)));
    fields.register<Route>(['Route'], 'component', (route, context) =>
      withCatalogue(context, reader, (snapshot) => {
        const found = route.componentId === null ? undefined : snapshot.components.get(route.componentId);
        return found ? Component.from(found) : null;
      }),
    );
  }
}
