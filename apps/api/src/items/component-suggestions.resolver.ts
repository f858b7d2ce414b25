import { Context, Query, Resolver } from '@nestjs/graphql';
import { CatalogueReader } from '@headwaters/catalogue';
import { ComponentSuggestionService } from '@headwaters/items';
import { catalogueOf } from '../catalogue/catalogue-context';
import { Component } from '../catalogue/catalogue.types';
import { Args } from '../graphql/args.decorator';
import type { RequestContext } from '../graphql/request-context';
import { ComponentSuggestion, SuggestComponentsArgs } from './component-suggestion.type';

/** Which components a report being written probably belongs to. */
@Resolver(() => ComponentSuggestion)
export class ComponentSuggestionsResolver {
  constructor(
    private readonly suggestions: ComponentSuggestionService,
    private readonly reader: CatalogueReader,
  ) {}

  @Query(() => [ComponentSuggestion], {
    description:
      'The components a report probably belongs to, best first, learned from the words of the items triaged onto each and from the components\' names and descriptions. Empty when nothing in it points anywhere.',
  })
  async suggestComponents(@Args() args: SuggestComponentsArgs, @Context() context: RequestContext): Promise<ComponentSuggestion[]> {
    const [suggested, catalogue] = await Promise.all([this.suggestions.suggest(args.title, args.description, args.first ?? 3), catalogueOf(context, this.reader)]);
    return suggested.flatMap((s) => {
      const component = catalogue.components.get(s.componentId);
      return component ? [Object.assign(new ComponentSuggestion(), { component: Component.from(component), score: s.score, reason: s.reason })] : [];
    });
  }
}
