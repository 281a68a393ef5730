import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/**
 * Estimated cost of an operation: every field costs 1 for each time it may be resolved, and an argument
 * that sizes a list (`first`, or a list of inputs like `articleNumbers`) multiplies what is below it.
 * It runs after variables are known, so `first: $n` counts as the client's n. A cheap, predictable
 * upper bound rather than an exact count; clients see the limit in the error.
 */
const LIST_SIZE_ARGUMENTS = new Set(['first', 'last', 'limit']);
const LIST_INPUT_ARGUMENTS = new Set(['articleNumbers', 'items', 'representations', 'ids', 'events']);

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
      return Number(node.value);
    case Kind.LIST:
      return node.values;
    default:
      return undefined;
  }
}

export function operationCost(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const walk = (selectionSet: SelectionSetNode, multiplier: number, seen: Set<string>): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        let childMultiplier = multiplier;
        for (const argument of selection.arguments ?? []) {
          const value = valueOf(argument.value, variables);
          if (LIST_SIZE_ARGUMENTS.has(argument.name.value) && typeof value === 'number' && value > 0) {
            childMultiplier = multiplier * value;
          } else if (LIST_INPUT_ARGUMENTS.has(argument.name.value) && Array.isArray(value)) {
            childMultiplier = multiplier * Math.max(1, value.length);
          }
        }
        cost += multiplier + (selection.selectionSet ? walk(selection.selectionSet, childMultiplier, seen) : 0);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        cost += walk(selection.selectionSet, multiplier, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          cost += walk(fragment.selectionSet, multiplier, new Set(seen).add(fragment.name.value));
        }
      }
    }
    return cost;
  };
  return walk(operation.selectionSet, 1, new Set());
}

export function tooCostly(cost: number, maxCost: number): GraphQLError {
  return new GraphQLError(
    `This operation's estimated cost is ${cost}; the limit is ${maxCost}. Ask for smaller pages (first) or fewer nested lists.`,
    // Thrown from a plugin hook, where Apollo would answer 500 unless told this is the client's doing.
    { extensions: { code: 'QUERY_TOO_COMPLEX', cost, maxCost, http: { status: 400 } } },
  );
}
