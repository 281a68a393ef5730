#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_USAGE, parseDemoArgs, resolvePspCallbackSecret } from './args';
import { runDemoDay } from './demoDay';
import { GraphRefusal } from './graphClient';
import { formatSummary } from './summary';

/**
 * `npm run demo -- --articles 20000`: a day of India Post through the gateway (see demoDay.ts). Exit
 * codes: 0 done, 1 the graph refused or could not be reached (the error names the step, its
 * extensions.code and message), 2 bad options.
 */

/** The repository root, where `npm start` keeps .data/ (this file runs from packages/demo/dist/). */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** What to try when the graph refused for a reason the user can fix. */
const HINTS: Record<string, string> = {
  UNAUTHENTICATED: 'Is that the admin npm start was given (DAKGRAPH_ADMIN_EMAIL, DAKGRAPH_ADMIN_PASSWORD)?',
  RATE_LIMITED: 'Start the gateway with RATE_LIMIT_PER_IP_PER_MINUTE=1000000 and RATE_LIMIT_PER_API_KEY_PER_MINUTE=1000000, or run fewer --articles.',
  QUERY_TOO_COMPLEX: 'The gateway runs with lower operation limits than the defaults the demo is sized for (README "Limits").',
  CONFLICT: 'An earlier run of this --seed was made with other details (another admin password?); run with another --seed.',
  SERVICE_UNAVAILABLE: 'Is the whole graph running (npm start prints its URL), and the URL right (--gateway or DAKGRAPH_URL)?',
};

function readIfThere(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseDemoArgs(argv, process.env);
  if (parsed.kind === 'help') {
    console.log(DEMO_USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`demo: ${parsed.message}\n\n${DEMO_USAGE}`);
    return 2;
  }
  const secret = resolvePspCallbackSecret(process.env, REPO_ROOT, readIfThere);
  if ('message' in secret) {
    console.error(`demo: ${secret.message}`);
    return 2;
  }
  try {
    const summary = await runDemoDay({ ...parsed.options, pspCallbackSecret: secret.secret, log: (line) => console.log(line) });
    for (const line of formatSummary(summary)) console.log(line);
    return 0;
  } catch (error) {
    if (!(error instanceof GraphRefusal)) throw error;
    console.error(`demo: ${error.message}`);
    const hint = HINTS[error.code];
    if (hint) console.error(`demo: ${hint}`);
    console.error('demo: every step is idempotent: run the same command again (same --seed, same day) to resume.');
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
