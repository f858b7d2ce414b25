import { Module, type DynamicModule, type InjectionToken } from '@nestjs/common';
import { CatalogueModule } from '@headwaters/catalogue';
import { CommentService } from './comments/comment.service';
import { ItemEditingService } from './editing/item-editing.service';
import { FilingService } from './filing/filing.service';
import { ROUTE_DECIDER } from './filing/route-decider';
import { ItemQueryService } from './item-query.service';
import { AttachmentService } from './attachments/attachment.service';

/**
 * Bugs and feature suggestions: filing, editing, comments, reading. `routeDecider` is how filing routes
 * (the routing library's service, bound by the application).
 */
@Module({})
export class ItemsModule {
  static forRoot(options: { imports?: DynamicModule['imports']; routeDecider: InjectionToken }): DynamicModule {
    return {
      module: ItemsModule,
      imports: [CatalogueModule, ...(options.imports ?? [])],
      providers: [ItemQueryService, FilingService, CommentService, ItemEditingService, AttachmentService, { provide: ROUTE_DECIDER, useExisting: options.routeDecider }],
      exports: [ItemQueryService, FilingService, CommentService, ItemEditingService, AttachmentService],
    };
  }
}
