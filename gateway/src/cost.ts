import {
  Kind,
  type GraphQLError,
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { apiError } from '@dakgraph/graphql-kit';
import type { DemandModel } from './demand';

/**
 * The estimated cost of an operation, as the IBM GraphQL Cost Directive specification and Apollo
 * Router's demand control count it, from the supergraph's `@cost` and `@listSize`:
 * - a field returning an object, interface or union weighs 1, a scalar or enum 0, unless `@cost` on the
 *   field (or on its type) says otherwise; a root Mutation field weighs `mutationWeight` (10) unless
 *   declared, since every mutation writes;
 * - an argument with `@cost` adds its weight when given;
 * - a list multiplies its element's weight and everything selected below it by its size: the value of a
 *   slicing argument (`first`, literal or variable, the variable's default, else the argument's own
 *   default; a list argument counts its length), else `assumedSize`, else `defaultListSize`. A
 *   connection's `@listSize(sizedFields: ["nodes", "edges"])` sizes those fields by its own argument.
 *
 * A named fragment is costed once per operation and the result reused wherever it is spread (cost is
 * linear in the multiplier above it), so a document whose fragments spread each other twice, 20 deep,
 * is refused after 20 small computations instead of expanding a million fields. Introspection
 * (`__schema`, `__type`, `__typename`) is free: the gateway answers it without calling a subgraph.
 */
export interface CostOptions {
  /** The size of a list the supergraph declares nothing about. */
  defaultListSize: number;
  /** The weight of a root Mutation field without its own `@cost`. */
  mutationWeight: number;
}

export const DEFAULT_COST_OPTIONS: CostOptions = { defaultListSize: 100, mutationWeight: 10 };

type Variables = Readonly<Record<string, unknown>>;

/** A list's element count from an argument value: a number is the count, a list its length. */
function sizeOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, Math.floor(value));
  if (Array.isArray(value)) return value.length;
  return undefined;
}

function isListOutput(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

export function operationCost(
  schema: GraphQLSchema,
  model: DemandModel,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables,
  options: CostOptions = DEFAULT_COST_OPTIONS,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  // A variable the client left out takes the default its operation declares.
  const variableDefaults = new Map<string, unknown>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) variableDefaults.set(definition.variable.name.value, valueFromASTUntyped(definition.defaultValue));
  }
  const valueOf = (node: ValueNode): unknown => {
    if (node.kind === Kind.VARIABLE) {
      const name = node.name.value;
      return variables[name] !== undefined && variables[name] !== null ? variables[name] : variableDefaults.get(name);
    }
    if (node.kind === Kind.LIST) return node.values; // its length is what counts
    return valueFromASTUntyped(node, variables);
  };

  const argumentValue = (field: FieldNode, definition: GraphQLField<unknown, unknown>, name: string): unknown => {
    const given = field.arguments?.find((a) => a.name.value === name);
    const value = given ? valueOf(given.value) : undefined;
    return value !== undefined && value !== null ? value : definition.args.find((a) => a.name === name)?.defaultValue;
  };

  // Sizes a connection hands to its sized fields ("nodes" -> 100), passed one level down.
  type SizedFields = ReadonlyMap<string, number> | null;
  const memo = new Map<string, number>();
  const inProgress = new Set<string>();

  const fieldCost = (parentType: GraphQLNamedType, field: FieldNode, sizedByParent: SizedFields): number => {
    const name = field.name.value;
    if (name.startsWith('__')) return 0;
    if (!isObjectType(parentType) && !isInterfaceType(parentType)) return 0;
    const definition = parentType.getFields()[name];
    if (!definition) return 0; // validation has refused it already
    const coordinate = `${parentType.name}.${name}`;
    const returnType = getNamedType(definition.type);

    let weight = model.fieldWeights.get(coordinate) ?? model.typeWeights.get(returnType.name);
    if (weight === undefined) {
      weight = parentType === schema.getMutationType() ? options.mutationWeight : isCompositeType(returnType) ? 1 : 0;
    }
    let argumentWeights = 0;
    for (const argument of field.arguments ?? []) argumentWeights += model.argumentWeights.get(`${coordinate}(${argument.name.value}:)`) ?? 0;

    // What this field's slicing arguments say, for itself or for the fields it sizes.
    const declaration = model.listSizes.get(coordinate);
    let slicedSize: number | undefined;
    for (const argument of declaration?.slicingArguments ?? []) {
      const size = sizeOf(argumentValue(field, definition, argument));
      if (size !== undefined) slicedSize = Math.max(slicedSize ?? 0, size);
    }
    let childSizes: SizedFields = null;
    if (declaration && declaration.sizedFields.length > 0) {
      const size = slicedSize ?? declaration.assumedSize ?? options.defaultListSize;
      childSizes = new Map(declaration.sizedFields.map((sized) => [sized, size]));
      slicedSize = undefined; // the slicing sized the fields below, not this one
    }

    const below = field.selectionSet ? selectionSetCost(returnType, field.selectionSet, childSizes) : 0;
    const unit = weight + below;
    if (!isListOutput(definition.type)) return argumentWeights + unit;
    const size = sizedByParent?.get(name) ?? slicedSize ?? declaration?.assumedSize ?? options.defaultListSize;
    return argumentWeights + size * unit;
  };

  const fragmentCost = (fragment: FragmentDefinitionNode, sizedByParent: SizedFields): number => {
    const key = `${fragment.name.value}|${sizedByParent ? [...sizedByParent].join(',') : ''}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    if (inProgress.has(key)) return 0; // a cycle: refused by validation (NoFragmentCyclesRule)
    inProgress.add(key);
    const type = schema.getType(fragment.typeCondition.name.value);
    const cost = type ? selectionSetCost(type, fragment.selectionSet, sizedByParent) : 0;
    inProgress.delete(key);
    memo.set(key, cost);
    return cost;
  };

  const selectionSetCost = (parentType: GraphQLNamedType, selectionSet: SelectionSetNode, sizedByParent: SizedFields): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        cost += fieldCost(parentType, selection, sizedByParent);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
        if (type) cost += selectionSetCost(type, selection.selectionSet, sizedByParent);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) cost += fragmentCost(fragment, sizedByParent);
      }
    }
    return cost;
  };

  const rootType = schema.getRootType(operation.operation);
  return rootType ? selectionSetCost(rootType, operation.selectionSet, null) : 0;
}

export function tooCostly(cost: number, maxCost: number): GraphQLError {
  // A fragment bomb can reach numbers past 2^53 (or Infinity); say so rather than print 1.8e+308.
  const shown = cost > Number.MAX_SAFE_INTEGER ? 'beyond counting' : String(cost);
  // Thrown from a plugin hook, where Apollo would answer 500 unless told (by apiError's HTTP 400) that
  // this is the client's doing.
  return apiError(
    'QUERY_TOO_COMPLEX',
    `This operation's estimated cost is ${shown}; the limit is ${maxCost}. Ask for smaller pages (first), fewer nested lists or fewer fields that fetch objects; each field's weight and list size is declared in the schema with @cost and @listSize.`,
    { cost: Math.min(cost, Number.MAX_SAFE_INTEGER), maxCost },
  );
}
