/**
 * The query GraphiQL opens with on a first visit (later visits restore the user's own tabs from localStorage).
 * Shared by the browser bundle, the tests and the README; keep it to fields the graph is sure to keep.
 * Plain TypeScript with no imports, so both the bundle (esbuild) and Node (tsc, jest) can load it.
 */
export const DEFAULT_QUERY = `# Welcome to dakgraph, the open GraphQL API of the postal network.
# Ctrl+Enter runs it; Docs (top left) shows the schema.
# API keys and tokens go in the Headers tab below.
query PostOfficesOfAPincode {
  pincode(code: "110001") {
    code
    district
    state
    offices(first: 5) {
      nodes {
        name
        officeType
      }
    }
  }
}
`;
