import {
  Kind,
  parse,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type ConstValueNode,
  type DefinitionNode,
  type FieldDefinitionNode,
  type SchemaDefinitionNode,
  type SchemaExtensionNode,
} from 'graphql';

/**
 * What a supergraph says about the cost of its fields, read from Federation's demand-control
 * directives (`@cost` and `@listSize`, the IBM GraphQL Cost Directive specification, linked as
 * https://specs.apollo.dev/cost/v0.1) and from dakgraph's `@oncePerOperation` and
 * `@sizedByListArgument` (linked as https://dakgraph.in/spec/limits/v0.1 and composed with
 * `@composeDirective`; the latter because @listSize's slicing arguments must be Ints, and a list of
 * 500 article numbers in gives 500 articles out). Each subgraph declares
 * them in its own SDL; composition carries them into the supergraph, so the limits hold for any
 * supergraph the gateway serves and are documented where the fields are.
 *
 * Coordinates are schema coordinates: `Type`, `Type.field`, `Type.field(argument:)`.
 */
export interface DemandModel {
  /** `@cost(weight:)` on a type (object, scalar, enum): the weight of a field returning it. */
  typeWeights: ReadonlyMap<string, number>;
  /** `@cost(weight:)` on a field: replaces the weight its type would give. */
  fieldWeights: ReadonlyMap<string, number>;
  /** `@cost(weight:)` on an argument: added whenever the argument is given. */
  argumentWeights: ReadonlyMap<string, number>;
  /** `@listSize` on a field. */
  listSizes: ReadonlyMap<string, ListSizeDeclaration>;
  /** Fields that may be selected at most once in an operation (`@oncePerOperation`): logins and the like. */
  oncePerOperation: ReadonlySet<string>;
}

export interface ListSizeDeclaration {
  /** The size to assume when no slicing argument says otherwise. */
  assumedSize: number | null;
  /** Arguments whose value is the size: an Int (`first`, from @listSize), or a list whose length is (`articleNumbers`, from @sizedByListArgument). */
  slicingArguments: readonly string[];
  /** Fields of the returned object that the slicing arguments size (a connection's `nodes`, `edges`). */
  sizedFields: readonly string[];
}

/** The specs read here: where each is linked from, and its name (its default namespace). */
const COST_SPEC = { url: 'https://specs.apollo.dev/cost/', name: 'cost' };
const LIMITS_SPEC = { url: 'https://dakgraph.in/spec/limits/', name: 'limits' };

/**
 * The name a linked directive has in a schema, by the link spec's rules: as imported (possibly renamed
 * with `as`), or the feature's own name for its root directive (`@cost` in the cost spec), or
 * `namespace__name` otherwise.
 */
function linkedDirectiveNames(
  schemaNodes: (SchemaDefinitionNode | SchemaExtensionNode)[],
  spec: { url: string; name: string },
  names: string[],
): Map<string, string> {
  const resolved = new Map<string, string>();
  for (const link of schemaNodes.flatMap((node) => node.directives ?? []).filter((d) => d.name.value === 'link')) {
    const args = Object.fromEntries((link.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]));
    const url = typeof args.url === 'string' ? args.url : '';
    if (!url.startsWith(spec.url)) continue;
    const namespace = typeof args.as === 'string' ? args.as : spec.name;
    const imports = new Map<string, string>();
    for (const entry of Array.isArray(args.import) ? args.import : []) {
      if (typeof entry === 'string') imports.set(entry.replace(/^@/, ''), entry.replace(/^@/, ''));
      else if (entry && typeof entry === 'object' && typeof entry.name === 'string') {
        imports.set(entry.name.replace(/^@/, ''), String(entry.as ?? entry.name).replace(/^@/, ''));
      }
    }
    for (const name of names) {
      resolved.set(name, imports.get(name) ?? (name === spec.name ? namespace : `${namespace}__${name}`));
    }
  }
  return resolved;
}

function argumentOf(directive: ConstDirectiveNode, name: string): unknown {
  const argument = directive.arguments?.find((a) => a.name.value === name);
  return argument ? valueFromASTUntyped(argument.value as ConstValueNode) : undefined;
}

const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

function listSizeOf(directive: ConstDirectiveNode): ListSizeDeclaration {
  const assumed = argumentOf(directive, 'assumedSize');
  return {
    assumedSize: typeof assumed === 'number' ? assumed : null,
    slicingArguments: stringList(argumentOf(directive, 'slicingArguments')),
    sizedFields: stringList(argumentOf(directive, 'sizedFields')),
  };
}

/** Reads the demand-control declarations of a supergraph (or any SDL that links the specs). */
export function demandModelOf(supergraphSdl: string): DemandModel {
  const definitions: readonly DefinitionNode[] = parse(supergraphSdl).definitions;
  const schemaNodes = definitions.filter(
    (d): d is SchemaDefinitionNode | SchemaExtensionNode => d.kind === Kind.SCHEMA_DEFINITION || d.kind === Kind.SCHEMA_EXTENSION,
  );
  const costNames = linkedDirectiveNames(schemaNodes, COST_SPEC, ['cost', 'listSize']);
  const limitNames = linkedDirectiveNames(schemaNodes, LIMITS_SPEC, ['oncePerOperation', 'sizedByListArgument']);
  const costName = costNames.get('cost');
  const listSizeName = costNames.get('listSize');
  const onceName = limitNames.get('oncePerOperation');
  const sizedByName = limitNames.get('sizedByListArgument');

  const model = {
    typeWeights: new Map<string, number>(),
    fieldWeights: new Map<string, number>(),
    argumentWeights: new Map<string, number>(),
    listSizes: new Map<string, ListSizeDeclaration>(),
    oncePerOperation: new Set<string>(),
  };
  const weightIn = (directives: readonly ConstDirectiveNode[] | undefined): number | undefined => {
    const cost = directives?.find((d) => d.name.value === costName);
    const weight = cost ? argumentOf(cost, 'weight') : undefined;
    return typeof weight === 'number' ? weight : undefined;
  };
  const readField = (typeName: string, field: FieldDefinitionNode) => {
    const coordinate = `${typeName}.${field.name.value}`;
    const weight = weightIn(field.directives);
    if (weight !== undefined) model.fieldWeights.set(coordinate, weight);
    const listSize = field.directives?.find((d) => d.name.value === listSizeName);
    const sizedBy = field.directives?.find((d) => d.name.value === sizedByName);
    if (listSize || sizedBy) {
      // A list argument's length works as a slicing argument here (see operationCost in cost.ts).
      const declared = listSize ? listSizeOf(listSize) : { assumedSize: null, slicingArguments: [], sizedFields: [] };
      const argument = sizedBy ? argumentOf(sizedBy, 'name') : undefined;
      model.listSizes.set(coordinate, {
        assumedSize: declared.assumedSize,
        slicingArguments: [...declared.slicingArguments, ...(typeof argument === 'string' ? [argument] : [])],
        sizedFields: [...declared.sizedFields, ...(sizedBy ? stringList(argumentOf(sizedBy, 'sizedFields')) : [])],
      });
    }
    if (onceName && field.directives?.some((d) => d.name.value === onceName)) model.oncePerOperation.add(coordinate);
    for (const argument of field.arguments ?? []) {
      const argumentWeight = weightIn(argument.directives);
      if (argumentWeight !== undefined) model.argumentWeights.set(`${coordinate}(${argument.name.value}:)`, argumentWeight);
    }
  };

  for (const definition of definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION: {
        const weight = weightIn(definition.directives);
        if (weight !== undefined) model.typeWeights.set(definition.name.value, weight);
        for (const field of definition.fields ?? []) readField(definition.name.value, field);
        break;
      }
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_DEFINITION: {
        const weight = weightIn(definition.directives);
        if (weight !== undefined) model.typeWeights.set(definition.name.value, weight);
        break;
      }
      default:
        break;
    }
  }
  return model;
}
