/**
 * The dakgraph GraphiQL page, bundled by scripts/build-graphiql.mjs into dist/graphiql and served by
 * src/graphiql.ts. Everything it needs (code, styles, fonts) is in the bundle: no CDN, no third party.
 */
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';
import './app.css';
import { DEFAULT_QUERY } from './default-query';

const root = document.getElementById('graphiql');
if (!root) throw new Error('dakgraph GraphiQL: the page has no #graphiql element');

// The server writes the GraphQL path into data-endpoint; the page itself is served at that path, so the
// page's own location is the fallback. Always same-origin: the CSP allows connect-src 'self' only.
const endpoint = new URL(root.dataset.endpoint || window.location.pathname, window.location.href).href;

// Plain fetch to our own origin. No subscriptionUrl, so no websocket is ever opened.
const fetcher = createGraphiQLFetcher({ url: endpoint });

createRoot(root).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={DEFAULT_QUERY}
      // Users paste `{"Authorization": "Bearer ..."}` or `{"x-api-key": "..."}` here. Headers stay in memory
      // unless the user turns on "persist headers" in the settings (then only in this browser's localStorage).
      isHeadersEditorEnabled
      shouldPersistHeaders={false}
    >
      <GraphiQL.Logo>
        <span className="dakgraph-logo">dakgraph</span>
      </GraphiQL.Logo>
    </GraphiQL>
  </StrictMode>,
);
