import { ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '@headwaters/graphql-kit';
import { Component } from './catalogue.types';

@ObjectType({ description: 'A page of components, by slug.' })
export class ComponentConnection extends ConnectionType(Component, 'Component') {}
