import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AuthenticatorHolder } from '../graphql/authenticator-holder';
import { webPages } from './web-pages';

/** The pages for people at `/` (GraphiQL stays at `/graphql`), served by the API's process. */
@Module({})
export class WebModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly authenticator: AuthenticatorHolder,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    void fastify.register(webPages(this.authenticator));
  }
}
