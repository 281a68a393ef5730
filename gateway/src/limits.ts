import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

export interface OperationLimits {
  /** Deepest field nesting (the root fields are depth 1). */
  maxDepth: number;
  /** Most aliased fields in one operation: aliases multiply work without deepening a query. */
  maxAliases: number;
}

export const DEFAULT_LIMITS: OperationLimits = { maxDepth: 15, maxAliases: 50 };

function tooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX' } });
}

/**
 * A validation rule bounding depth and aliases, following fragments (each fragment is measured once
 * per use site, so fragment cycles, already invalid, cannot loop us).
 */
export function operationLimitsRule(limits: OperationLimits) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }

    const measure = (selectionSet: SelectionSetNode, depth: number, seen: Set<string>, counts: { aliases: number }): number => {
      let deepest = depth;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.alias) counts.aliases += 1;
          const fieldDepth = selection.name.value.startsWith('__') ? depth : depth + 1;
          deepest = Math.max(deepest, selection.selectionSet ? measure(selection.selectionSet, fieldDepth, seen, counts) : fieldDepth);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, measure(selection.selectionSet, depth, seen, counts));
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (!fragment || seen.has(name)) continue;
          deepest = Math.max(deepest, measure(fragment.selectionSet, depth, new Set(seen).add(name), counts));
        }
        if (deepest > limits.maxDepth) return deepest; // no need to walk further
      }
      return deepest;
    };

    return {
      OperationDefinition(operation) {
        const counts = { aliases: 0 };
        const depth = measure(operation.selectionSet, 0, new Set(), counts);
        const name = operation.name ? ` "${operation.name.value}"` : '';
        if (depth > limits.maxDepth) {
          context.reportError(tooComplex(`Operation${name} is nested ${depth > limits.maxDepth + 1 ? 'more than ' : ''}${Math.min(depth, limits.maxDepth + 1)} levels deep; the limit is ${limits.maxDepth}`));
        }
        if (counts.aliases > limits.maxAliases) {
          context.reportError(tooComplex(`Operation${name} uses ${counts.aliases} aliases; the limit is ${limits.maxAliases}`));
        }
      },
    };
  };
}
