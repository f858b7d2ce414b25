import { GraphQLError, Kind, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { AppConfig } from '@headwaters/config';
import { RequestAbandonedError, currentQueryScope } from '@headwaters/database';
import { GateBusy, type ExpensiveGate } from './expensive-gate';
import { guardInputs } from './input-guard';
import { checkDocumentLimits, tooComplex } from './query-cost';
import { cachedQueryCost } from './query-cost-cache';
import { BudgetSpent, type RateBudget } from './rate-budget';
import type { RequestContext } from './request-context';

/**
 * What every GraphQL request goes through before it runs, in one place: the document's size
 * limits (before validation), then its inputs, depth, cost and the hourly budget (before
 * execution, as they depend on the variables).
 */
export class RequestGuards {
  constructor(
    private readonly config: AppConfig,
    private readonly budget: RateBudget,
    private readonly gate?: ExpensiveGate,
  ) {}

  beforeValidation(document: DocumentNode): void {
    checkDocumentLimits(document, { maxAliases: this.config.QUERY_MAX_ALIASES, maxOperations: this.config.QUERY_MAX_OPERATIONS });
  }

  /**
   * Synchronous while it has nothing to wait for (an anonymous request under the expensive
   * cost): Mercurius awaits every hook's answer, and a promise here cost one an operation.
   */
  beforeExecution(schema: GraphQLSchema, document: DocumentNode, context: RequestContext, variables: Record<string, unknown> | undefined): void | Promise<void> {
    guardInputs(document, variables);
    const { cost, depth } = cachedQueryCost(schema, document, operationNameOf(context), variables);
    const maxDepth = this.config.QUERY_MAX_DEPTH;
    if (depth > maxDepth) throw tooComplex(`The query is more than ${maxDepth} levels deep (${depth} counted); at most ${maxDepth} are allowed`);
    const maxCost = this.config.QUERY_MAX_COST;
    // The operations of a batch share the cap: their costs add up, as one request's would.
    context.spent.cost += cost;
    if (context.spent.cost > maxCost && cost <= maxCost) {
      throw tooComplex(`The operations of this batch cost ${context.spent.cost} points together; at most ${maxCost} are allowed per request: send fewer or cheaper operations`, { cost: context.spent.cost, maxCost });
    }
    if (cost > maxCost) {
      throw tooComplex(`The query costs ${cost} points; at most ${maxCost} are allowed per request: ask for smaller pages, fewer counts or fewer aliases`, { cost, maxCost });
    }
    const turn = this.turnIfExpensive(document, context);
    if (turn || !context.isAnonymous) return this.chargeAfter(turn, context, cost);
    this.charge(context, `address:${context.address}`, cost);
  }

  /** Charges the request's subject once its turn (if it waits for one) has come and its actor is known. */
  private async chargeAfter(turn: Promise<void> | undefined, context: RequestContext, cost: number): Promise<void> {
    if (turn) await turn;
    // A token that is sent but bad is the resolvers' to refuse; it is charged to the address.
    const actor = context.isAnonymous ? null : await context.actor().catch(() => null);
    this.charge(context, actor ? `user:${actor.userId}` : `address:${context.address}`, cost);
  }

  private charge(context: RequestContext, subject: string, cost: number): void {
    try {
      context.rateLimit = this.budget.charge(subject, cost);
    } catch (error) {
      if (!(error instanceof BudgetSpent)) throw error;
      context.reply.header('retry-after', String(error.retryAfterSeconds));
      throw new GraphQLError(error.message, {
        extensions: { code: 'RATE_LIMITED', cost, limit: error.state.limit, remaining: error.state.remaining, resetAt: error.state.resetAt.toISOString() },
      });
    }
  }

  /**
   * A query whose request has cost QUERY_EXPENSIVE_COST or more waits for its turn at the gate
   * (once per HTTP request: the operations of a batch share it), holds it until its answer is sent,
   * and takes at most QUERY_EXPENSIVE_CONNECTIONS database connections at a time. Mutations are not
   * gated: they are capped by their own cost, and a transaction may need a second connection.
   * Undefined when the request waits for no turn.
   */
  private turnIfExpensive(document: DocumentNode, context: RequestContext): Promise<void> | undefined {
    const gate = this.gate;
    if (!gate || context.spent.cost < this.config.QUERY_EXPENSIVE_COST) return undefined;
    if (operationOf(document, operationNameOf(context))?.operation !== 'query') return undefined;
    // Over a live connection there is no HTTP answer to hold the turn until: such reads go ungated.
    const raw = context.reply?.raw as typeof context.reply.raw | undefined;
    if (!raw) return undefined;
    return this.waitTurn(gate, raw, context);
  }

  private async waitTurn(gate: ExpensiveGate, raw: RequestContext['reply']['raw'], context: RequestContext): Promise<void> {
    context.spent.turn ??= (async () => {
      const abandoned = new Promise<Error>((resolve) => raw.once('close', () => resolve(new RequestAbandonedError())));
      const release = await gate.enter(abandoned);
      if (raw.writableFinished || raw.destroyed) release();
      else raw.once('close', release);
    })();
    try {
      await context.spent.turn;
    } catch (error) {
      if (!(error instanceof GateBusy)) throw error;
      context.reply.header('retry-after', String(error.retryAfterSeconds));
      throw new GraphQLError(error.message, { extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'BUSY', retryAfterSeconds: error.retryAfterSeconds } });
    }
    currentQueryScope()?.limitConnections(this.config.QUERY_EXPENSIVE_CONNECTIONS);
  }
}

function operationOf(document: DocumentNode, name: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return name ? operations.find((o) => o.name?.value === name) : operations.length === 1 ? operations[0] : undefined;
}

/** The operationName the request names for this operation (of a batch: its own element's). */
export function operationNameOf(context: RequestContext): string | undefined {
  const request = context.request as { body?: { operationName?: unknown } | { operationName?: unknown }[]; query?: { operationName?: unknown } };
  const body = Array.isArray(request.body) ? request.body[context.operationId ?? 0] : request.body;
  const name = body?.operationName ?? request.query?.operationName;
  return typeof name === 'string' ? name : undefined;
}
