import {
  GraphQLError,
  Kind,
  getNamedType,
  isInterfaceType,
  isObjectType,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

export interface OperationLimits {
  /** Deepest field nesting (the root fields are depth 1; introspection fields do not deepen). */
  maxDepth: number;
  /** Most aliased fields in one operation: aliases multiply work without deepening a query. */
  maxAliases: number;
  /** Most directives in one operation (`@include`, `@skip`, ...): each is evaluated per field resolved. */
  maxDirectives: number;
  /** Most lexical tokens in one document, enforced by the parser itself before anything else runs. */
  maxTokens: number;
  /**
   * Most field selections once fragments are expanded. Cost counts scalars as free, so a fragment
   * bomb ending in scalars costs nothing by weight, yet still makes the query planner expand it.
   */
  maxFields: number;
}

export const DEFAULT_LIMITS: OperationLimits = { maxDepth: 15, maxAliases: 50, maxDirectives: 50, maxTokens: 10_000, maxFields: 2_000 };

export function tooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX' } });
}

/**
 * What one selection set adds up to, with every fragment it spreads expanded: the counts are those of
 * the operation as it would execute, so aliases hidden in a fragment spread ten times count ten times.
 */
interface Summary {
  /** Levels below the selection set's own. */
  depth: number;
  fields: number;
  aliases: number;
  directives: number;
  /** Selections of `@oncePerOperation` fields, by coordinate. */
  once: Map<string, number>;
}

const emptySummary = (): Summary => ({ depth: 0, fields: 0, aliases: 0, directives: 0, once: new Map() });

function add(into: Summary, from: Summary, depthOffset: number): void {
  into.depth = Math.max(into.depth, from.depth + depthOffset);
  into.fields += from.fields;
  into.aliases += from.aliases;
  into.directives += from.directives;
  for (const [coordinate, count] of from.once) into.once.set(coordinate, (into.once.get(coordinate) ?? 0) + count);
}

/**
 * Depth, aliases, directives and single-use fields, as one validation rule over the document.
 *
 * Why our own rather than @escape.tech/graphql-armor's max-depth, max-aliases and max-directives: each
 * of those walks the document on its own, and a rule that re-expands a fragment every time it is
 * spread turns a 1 KB document whose 20 fragments each spread the next twice into a million visits
 * (that took this gateway 6-12 s of CPU, with /health waiting behind it). Here each named fragment is
 * summarised once per document and the summary reused wherever it is spread, so the work is linear in
 * the document's size whatever it expands to; a fragment cycle (refused by GraphQL's own
 * NoFragmentCyclesRule in the same pass) contributes nothing instead of looping. The token limit is
 * graphql-js's own `maxTokens` (as armor's max-tokens uses), set on the server's parse options.
 */
export function operationLimitsRule(limits: Omit<OperationLimits, 'maxTokens'>, oncePerOperation: ReadonlySet<string> = new Set()) {
  return (context: ValidationContext): ASTVisitor => {
    const schema: GraphQLSchema = context.getSchema();
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const memo = new Map<string, Summary>();
    const inProgress = new Set<string>();

    const fragmentSummary = (name: string): Summary => {
      const known = memo.get(name);
      if (known) return known;
      const fragment = fragments.get(name);
      if (!fragment || inProgress.has(name)) return emptySummary();
      inProgress.add(name);
      const summary = summarise(schema.getType(fragment.typeCondition.name.value), fragment.selectionSet);
      summary.directives += fragment.directives?.length ?? 0;
      inProgress.delete(name);
      memo.set(name, summary);
      return summary;
    };

    const summarise = (parentType: GraphQLNamedType | undefined | null, selectionSet: SelectionSetNode): Summary => {
      const summary = emptySummary();
      for (const selection of selectionSet.selections) {
        summary.directives += selection.directives?.length ?? 0;
        if (selection.kind === Kind.FIELD) {
          const name = selection.name.value;
          summary.fields += 1;
          if (selection.alias) summary.aliases += 1;
          const fieldDepth = name.startsWith('__') ? 0 : 1;
          summary.depth = Math.max(summary.depth, fieldDepth);
          const definition = parentType && (isObjectType(parentType) || isInterfaceType(parentType)) ? parentType.getFields()[name] : undefined;
          if (definition && oncePerOperation.has(`${parentType!.name}.${name}`)) {
            const coordinate = `${parentType!.name}.${name}`;
            summary.once.set(coordinate, (summary.once.get(coordinate) ?? 0) + 1);
          }
          if (selection.selectionSet) {
            add(summary, summarise(definition ? getNamedType(definition.type) : undefined, selection.selectionSet), fieldDepth);
          }
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
          add(summary, summarise(type, selection.selectionSet), 0);
        } else {
          add(summary, fragmentSummary(selection.name.value), 0);
        }
      }
      return summary;
    };

    return {
      OperationDefinition(operation) {
        const name = operation.name ? ` "${operation.name.value}"` : '';
        if (operation.operation === 'subscription') {
          // graphql-js 16 accepts a subscription against a schema without a Subscription type and
          // leaves it to fail at execution; say what to do instead, as a validation error.
          context.reportError(
            new GraphQLError(
              `Operation${name} is a subscription; this API offers no subscriptions. Poll with a query (e.g. article(articleNumber:) or trackArticles) instead.`,
              { nodes: [operation], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
            ),
          );
          return;
        }
        const summary = summarise(schema.getRootType(operation.operation), operation.selectionSet);
        summary.directives += operation.directives?.length ?? 0;
        if (summary.depth > limits.maxDepth) {
          context.reportError(tooComplex(`Operation${name} is nested ${summary.depth} levels deep; the limit is ${limits.maxDepth}`));
        }
        if (summary.fields > limits.maxFields) {
          context.reportError(tooComplex(`Operation${name} selects ${summary.fields} fields once its fragments are expanded; the limit is ${limits.maxFields}`));
        }
        if (summary.aliases > limits.maxAliases) {
          context.reportError(tooComplex(`Operation${name} uses ${summary.aliases} aliases; the limit is ${limits.maxAliases}`));
        }
        if (summary.directives > limits.maxDirectives) {
          context.reportError(tooComplex(`Operation${name} uses ${summary.directives} directives; the limit is ${limits.maxDirectives}`));
        }
        for (const [coordinate, count] of summary.once) {
          if (count > 1) {
            context.reportError(
              tooComplex(`Operation${name} selects ${coordinate} ${count} times; it may be selected at most once per operation (send one request each)`),
            );
          }
        }
      },
    };
  };
}
