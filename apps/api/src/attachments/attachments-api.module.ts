import { Module, type OnModuleInit } from '@nestjs/common';
import { CatalogueModule, CatalogueReader } from '@headwaters/catalogue';
import { AccountService, IdentityModule } from '@headwaters/identity';
import { AttachmentService, ItemsModule, ItemVisibility } from '@headwaters/items';
import { NodeRegistry } from '@headwaters/graphql-kit';
import { catalogueOf } from '../catalogue/catalogue-context';
import { DirectFields } from '../graphql/direct-fields';
import type { RequestContext } from '../graphql/request-context';
import { userOf } from '../identity/users.loader';
import { AttachmentFieldsResolver } from './attachment-fields.resolver';
import { AttachmentRoutes } from './attachment-routes';
import { Attachment } from './attachment.type';

/** Files attached to items: the upload and download routes, `Item.attachments`, `node(id)` of an Attachment. */
@Module({
  imports: [ItemsModule, CatalogueModule, IdentityModule],
  providers: [AttachmentRoutes, AttachmentFieldsResolver],
})
export class AttachmentsApiModule implements OnModuleInit {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly attachments: AttachmentService,
    private readonly reader: CatalogueReader,
    fields: DirectFields,
    accounts: AccountService,
  ) {
    fields.register<Attachment>(['Attachment'], 'uploader', (attachment, context) => userOf(context, accounts, attachment.record.uploaderId));
  }

  onModuleInit(): void {
    this.registry.register('Attachment', async (ids, context) => {
      const request = context as RequestContext;
      const visibility = ItemVisibility.of(await request.actor(), await catalogueOf(request, this.reader));
      return (await this.attachments.byIds(ids, visibility)).map((a) => (a ? Attachment.from(a) : null));
    });
  }
}
