import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  visit,
  type ASTNode,
  type ASTVisitor,
  type FloatValueNode,
  type IntValueNode,
  type OperationDefinitionNode,
  type ValidationContext,
  type ValueNode,
} from 'graphql';

/**
 * Inputs no resolver can use, refused before any runs, by the gateway (at the edge) and by every
 * subgraph (which must not trust that the gateway did):
 * - a NUL character (U+0000) in any string: PostgreSQL cannot store it in text and fails the whole
 *   statement, so it would come back as an internal error from wherever it reached the database;
 * - a Float that is not finite: `1e999` parses to Infinity, which GraphQL's Float accepts as a literal
 *   and no latitude, weight or amount can be.
 * Both answer BAD_USER_INPUT naming the argument (`extensions.field`) and the place inside it.
 */

const NUL = '\u0000';

function refusal(message: string, field: string, nodes?: ASTNode[]): GraphQLError {
  return new GraphQLError(message, { nodes, extensions: { code: 'BAD_USER_INPUT', field, http: { status: 400 } } });
}

/** `input.address.lines[1]`: a place inside an argument, for messages. */
const pathText = (path: (string | number)[]): string =>
  path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');

type Ancestry = readonly (ASTNode | readonly ASTNode[])[];

/**
 * Where a literal sits: the argument (with the field or directive it belongs to) and the path inside
 * it. A visitor's `ancestors` stop short of the node's own parent, so that comes separately.
 */
function placeOf(
  ancestors: Ancestry,
  parent: ASTNode | readonly ASTNode[] | undefined,
  node: ASTNode,
): { owner: string; argument: string; path: (string | number)[] } | null {
  const nodes = [...ancestors, ...(parent ? [parent] : []), node].filter((a): a is ASTNode => !Array.isArray(a));
  let argumentIndex = -1;
  for (let i = nodes.length - 1; i >= 0; i -= 1) {
    if (nodes[i]!.kind === Kind.ARGUMENT || nodes[i]!.kind === Kind.VARIABLE_DEFINITION) {
      argumentIndex = i;
      break;
    }
  }
  if (argumentIndex < 0) return null;
  const holder = nodes[argumentIndex]!;
  const path: (string | number)[] = [];
  const inside = nodes.slice(argumentIndex + 1);
  inside.forEach((step, i) => {
    if (step.kind === Kind.OBJECT_FIELD) path.push(step.name.value);
    // The element of a list is the next node down: its position is the index.
    if (step.kind === Kind.LIST) path.push(step.values.indexOf(inside[i + 1] as ValueNode));
  });
  if (holder.kind === Kind.VARIABLE_DEFINITION) return { owner: 'the operation', argument: `$${holder.variable.name.value}`, path };
  const owner = nodes.slice(0, argumentIndex).reverse().find((n) => n.kind === Kind.FIELD || n.kind === Kind.DIRECTIVE);
  const ownerName = owner && (owner.kind === Kind.FIELD || owner.kind === Kind.DIRECTIVE) ? owner.name.value : 'the operation';
  return { owner: owner?.kind === Kind.DIRECTIVE ? `@${ownerName}` : ownerName, argument: holder.kind === Kind.ARGUMENT ? holder.name.value : '', path };
}

function describe(place: { owner: string; argument: string; path: (string | number)[] } | null): { text: string; field: string } {
  if (!place) return { text: 'A value', field: '' };
  const field = pathText([place.argument, ...place.path]);
  return { text: place.argument.startsWith('$') ? `Variable ${field}` : `Argument "${field}" of ${place.owner}`, field };
}

/** A validation rule refusing NUL characters and non-finite numbers written into the document. */
export function safeLiteralsRule(context: ValidationContext): ASTVisitor {
  return {
    StringValue(node, _key, parent, _path, ancestors) {
      if (!node.value.includes(NUL)) return;
      const { text, field } = describe(placeOf(ancestors, parent, node));
      context.reportError(refusal(`${text} contains a NUL character (U+0000), which no text field accepts; remove it`, field, [node]));
    },
    // An Int literal of 309 digits given to a Float argument becomes Infinity just the same (an Int
    // argument refuses it itself: it is not a 32-bit integer).
    IntValue: refuseNonFinite,
    FloatValue: refuseNonFinite,
  };
  function refuseNonFinite(node: IntValueNode | FloatValueNode, _key: unknown, parent: ASTNode | readonly ASTNode[] | undefined, _path: unknown, ancestors: Ancestry): void {
    if (Number.isFinite(Number(node.value))) return;
    const { text, field } = describe(placeOf(ancestors, parent, node));
    const shown = node.value.length > 20 ? `a ${node.value.length}-digit number` : node.value;
    context.reportError(refusal(`${text} is ${shown}, which is too large to be a number; send a finite value`, field, [node]));
  }
}

/** The first NUL or non-finite number inside a variable's JSON value, with its path. */
function findUnsafe(value: unknown, path: (string | number)[]): { path: (string | number)[]; kind: 'nul' | 'number' } | null {
  if (typeof value === 'string') return value.includes(NUL) ? { path, kind: 'nul' } : null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : { path, kind: 'number' };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = findUnsafe(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key.includes(NUL)) return { path: [...path, key], kind: 'nul' };
      const found = findUnsafe(inner, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** The first argument a variable is passed to, as `argument of field`, for messages. */
function argumentUsing(operation: OperationDefinitionNode, variable: string): string | null {
  let found: string | null = null;
  const usesVariable = (value: ValueNode): boolean =>
    value.kind === Kind.VARIABLE
      ? value.name.value === variable
      : value.kind === Kind.LIST
        ? value.values.some(usesVariable)
        : value.kind === Kind.OBJECT
          ? value.fields.some((f) => usesVariable(f.value))
          : false;
  visit(operation, {
    Field(field) {
      if (found) return false;
      const argument = field.arguments?.find((a) => usesVariable(a.value));
      if (argument) found = `argument "${argument.name.value}" of ${field.name.value}`;
      return undefined;
    },
  });
  return found;
}

/** Refuses variables holding a NUL character or a non-finite number (JSON's 1e999 parses to Infinity). */
export function assertSafeVariables(operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>> | undefined): void {
  for (const [name, value] of Object.entries(variables ?? {})) {
    const unsafe = findUnsafe(value, [name]);
    if (!unsafe) continue;
    const field = `$${pathText(unsafe.path)}`;
    const usedBy = argumentUsing(operation, name);
    const where = `Variable ${field}${usedBy ? ` (${usedBy})` : ''}`;
    throw unsafe.kind === 'nul'
      ? refusal(`${where} contains a NUL character (U+0000), which no text field accepts; remove it`, field)
      : refusal(`${where} is not a finite number; send a finite value`, field);
  }
}

/** The Apollo plugin half: variables are only known once the request is resolved. */
export const safeVariablesPlugin: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, request }) {
        if (operation) assertSafeVariables(operation, request.variables);
      },
    };
  },
};
