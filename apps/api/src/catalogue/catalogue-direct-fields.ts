import { Injectable } from '@nestjs/common';
import { CatalogueReader } from '@headwaters/catalogue';
import { DirectFields } from '../graphql/direct-fields';
import type { Route } from '../routing/route.type';
import { catalogueOf } from './catalogue-context';
import { Component, Upstream } from './catalogue.types';

/** The tree and route fields, answered from the request's catalogue snapshot in memory. */
@Injectable()
export class CatalogueDirectFields {
  constructor(fields: DirectFields, reader: CatalogueReader) {
    fields.register<Component>(['Component'], 'parent', async (component, context) => {
      const parent = component.record.parentId === null ? undefined : (await catalogueOf(context, reader)).components.get(component.record.parentId);
      return parent ? Component.from(parent) : null;
    });
    fields.register<Component>(['Component'], 'children', async (component, context) => (await catalogueOf(context, reader)).children(component.record.id).map(Component.from));
    fields.register<Component>(['Component'], 'owner', async (component, context) => {
      const ownership = (await catalogueOf(context, reader)).ownership(component.record.id);
      if (!ownership) throw new Error(`component ${component.slug} has no owner`);
      return Upstream.from(ownership.owner);
    });
    fields.register<Component>(['Component'], 'ownerInheritedFrom', async (component, context) => {
      const ownership = (await catalogueOf(context, reader)).ownership(component.record.id);
      return ownership && ownership.source.id !== component.record.id ? Component.from(ownership.source) : null;
    });
    fields.register<Route>(['Route'], 'upstream', async (route, context) => Upstream.from((await catalogueOf(context, reader)).upstreams.get(route.upstreamId)!));
    fields.register<Route>(['Route'], 'component', async (route, context) => {
      const found = route.componentId === null ? undefined : (await catalogueOf(context, reader)).components.get(route.componentId);
      return found ? Component.from(found) : null;
    });
  }
}
