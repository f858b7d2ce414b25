import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** What a GraphQL request ran, noted for its metrics and its span as it goes. */
export interface RequestNote {
  /** The operation's name (undefined: unnamed). */
  name: string | undefined;
  type: 'query' | 'mutation' | 'subscription';
  /** How many operations of the request were noted (more than one: a batch). */
  operations: number;
  /** The `extensions.code` of every error answered, in order. */
  errorCodes: string[] | undefined;
}

interface NotedRequest {
  graphqlNote: RequestNote | null;
}

/** Gives every request the slot its note goes in (declared once, so requests keep one shape). */
export function declareRequestNotes(fastify: FastifyInstance): void {
  fastify.decorateRequest('graphqlNote', null);
}

function operationOf(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode | undefined {
  let only: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind !== 'OperationDefinition') continue;
    if (operationName !== undefined) {
      if (definition.name?.value === operationName) return definition;
    } else if (only) return undefined;
    else only = definition;
  }
  return only;
}

/** Notes the operation about to run (once per operation of a batch); answers the note. */
export function noteOperation(request: FastifyRequest | undefined, document: DocumentNode, operationName: string | undefined): RequestNote | undefined {
  if (!request) return undefined;
  const operation = operationOf(document, operationName);
  const noted = request as unknown as NotedRequest;
  const note = noted.graphqlNote;
  if (note) {
    note.operations += 1;
    return note;
  }
  noted.graphqlNote = { name: operation?.name?.value, type: operation?.operation ?? 'query', operations: 1, errorCodes: undefined };
  return noted.graphqlNote;
}

/** Notes the codes of the errors answered. */
export function noteErrors(request: FastifyRequest | undefined, errors: readonly { extensions?: Record<string, unknown> }[] | undefined): void {
  if (!request || !errors || errors.length === 0) return;
  const noted = request as unknown as NotedRequest;
  const codes = errors.map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL_SERVER_ERROR'));
  if (noted.graphqlNote) noted.graphqlNote.errorCodes = [...(noted.graphqlNote.errorCodes ?? []), ...codes];
  else noted.graphqlNote = { name: undefined, type: 'query', operations: 0, errorCodes: codes };
}

/** The request's note, if it got as far as one. */
export function noteOf(request: FastifyRequest): RequestNote | null {
  return (request as unknown as NotedRequest).graphqlNote;
}
