import { Kind, type DocumentNode, type GraphQLError } from 'graphql';
import { apiError } from '@dakgraph/graphql-kit';

/**
 * Why a document has no operation to run for this request, in words a client can act on. The gateway
 * would otherwise fail later, while planning, with an uncoded error that reaches the client as a 500.
 */
export function unresolvedOperation(document: DocumentNode, operationName: string | null | undefined): GraphQLError {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const names = operations.map((o) => (o.kind === Kind.OPERATION_DEFINITION && o.name ? `"${o.name.value}"` : '(anonymous)'));
  let message: string;
  if (operations.length === 0) {
    message = 'The document defines no operation to run, only fragments; add a query or mutation';
  } else if (operationName) {
    message = `The document has no operation named "${operationName}"; it defines ${names.join(', ')}`;
  } else {
    message = `The document defines ${operations.length} operations (${names.join(', ')}); say which to run with operationName`;
  }
  return apiError('BAD_REQUEST', message);
}
