import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotificationMailer, SubscriptionService } from '@headwaters/notifications';

const PAGE = (token: string) => `<!doctype html><meta charset="utf-8"><title>Stop mail about this item</title>
<form method="post" action="/unsubscribe?token=${encodeURIComponent(token)}"><p>Stop mail about this item?</p><button type="submit">Stop</button></form>`;

/**
 * One-click unsubscribe (RFC 8058): POST /unsubscribe?token=... (what mail clients send for
 * List-Unsubscribe-Post) sets that item to IGNORED for the mail's recipient, without signing in.
 * GET only shows a button, so link scanners change nothing.
 */
@Injectable()
export class UnsubscribeRoutes implements OnModuleInit {
  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly mailer: NotificationMailer,
    private readonly subscriptions: SubscriptionService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter.getInstance() as FastifyInstance;
    const tokenOf = (request: FastifyRequest) => String((request.query as { token?: unknown }).token ?? '');
    fastify.get('/unsubscribe', async (request: FastifyRequest, reply: FastifyReply) => {
      const claim = await this.mailer.links.verify(tokenOf(request));
      if (!claim) return reply.code(400).type('text/plain; charset=utf-8').send('This unsubscribe link is not valid.');
      return reply.type('text/html; charset=utf-8').send(PAGE(tokenOf(request)));
    });
    fastify.post('/unsubscribe', async (request: FastifyRequest, reply: FastifyReply) => {
      const claim = await this.mailer.links.verify(tokenOf(request));
      if (!claim) return reply.code(400).type('text/plain; charset=utf-8').send('This unsubscribe link is not valid.');
      await this.subscriptions.ignoreByLink(claim.userId, claim.itemId);
      return reply.type('text/plain; charset=utf-8').send('You will get no more mail about this item.');
    });
  }
}
