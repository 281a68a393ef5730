import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

export interface SubgraphDefinition {
  name: string;
  /** SDL file, relative to the gateway folder. */
  schema: string;
  /** Where the subgraph listens by default. */
  url: string;
}

export const GATEWAY_DIR = path.resolve(__dirname, '..');

/** The subgraphs of dakgraph, from gateway/subgraphs.json. */
export function readSubgraphList(file = path.join(GATEWAY_DIR, 'subgraphs.json')): SubgraphDefinition[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { subgraphs: SubgraphDefinition[] }).subgraphs;
}

export class CompositionError extends Error {
  constructor(readonly problems: string[]) {
    super(`The supergraph does not compose (${problems.length} problems):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Composes the supergraph SDL with @apollo/composition; throws CompositionError listing every problem. */
export function composeSupergraph(subgraphs: SubgraphDefinition[] = readSubgraphList()): { supergraphSdl: string; hints: string[] } {
  const services = subgraphs.map(({ name, schema, url }) => {
    const file = path.resolve(GATEWAY_DIR, schema);
    return { name, url, typeDefs: parse(readFileSync(file, 'utf8')) };
  });
  const result = composeServices(services);
  if (result.errors?.length || result.supergraphSdl === undefined) {
    throw new CompositionError((result.errors ?? []).map((error) => error.message));
  }
  return {
    supergraphSdl: result.supergraphSdl,
    hints: (result.hints ?? []).map((hint) => `${hint.definition.code}: ${hint.message}`),
  };
}
