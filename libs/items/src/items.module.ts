import { Module } from '@nestjs/common';
import { CatalogueModule } from '@headwaters/catalogue';
import { CommentService } from './comments/comment.service';
import { ItemEditingService } from './editing/item-editing.service';
import { FilingService } from './filing/filing.service';
import { ItemQueryService } from './item-query.service';
import { AttachmentService } from './attachments/attachment.service';
import { DisclosureService } from './disclosure/disclosure.service';
import { AssignmentService } from './assignment/assignment.service';
import { ModerationService } from './comments/moderation.service';
import { ComponentSuggestionService } from './suggest/component-suggestion.service';
import { ItemRoutingService } from './routing/item-routing.service';
import { ItemEvents } from './writes/item-events';
import { ItemRouteWriter } from './writes/item-routes';
import { ItemWriter } from './writes/item-writer';

const SERVICES = [ItemQueryService, FilingService, CommentService, ItemEditingService, AttachmentService, DisclosureService, AssignmentService, ModerationService, ComponentSuggestionService, ItemRoutingService, ItemEvents, ItemRouteWriter, ItemWriter];

/**
 * Bugs and feature suggestions: filing, editing, comments, routes, reading; and the one write API
 * of the item table (ItemWriter, ItemRouteWriter) that the use cases of other libraries call.
 */
@Module({
  imports: [CatalogueModule],
  providers: SERVICES,
  exports: [...SERVICES, CatalogueModule],
})
export class ItemsModule {}
