import path from 'node:path';

/** What `npm run demo -- ...` may be given; the CLI prints it for --help and with every refusal. */
export const DEMO_USAGE = `usage: npm run demo -- [--articles N] [--seed N] [--gateway URL] [--email ADMIN_EMAIL] [--password ADMIN_PASSWORD]

  --articles N   articles to book, move and deliver (default 20000; at most ${(200_000).toLocaleString('en-IN')})
  --seed N       the same seed gives the same day (default 1); the same seed on the same day resumes a run
  --gateway URL  the gateway's GraphQL endpoint (default $DAKGRAPH_URL, else http://localhost:4000/graphql)
  --email, --password
                 an ADMIN's login (default $DAKGRAPH_ADMIN_EMAIL and $DAKGRAPH_ADMIN_PASSWORD, the admin
                 npm start makes; the environment keeps the password out of the process list)

The payment provider's callback secret is $PSP_CALLBACK_SECRET, else pspCallbackSecret in .data/secrets.json
(npm start writes it). A gateway with the default per-IP limit (RATE_LIMIT_PER_IP_PER_MINUTE=600) makes the
demo wait now and then; start it with RATE_LIMIT_PER_IP_PER_MINUTE=1000000 to run at full speed.`;

/** Enough for a large demo; the plan (every article, its parties and fate) is kept in memory. */
export const MAX_DEMO_ARTICLES = 200_000;
export const DEFAULT_GATEWAY_URL = 'http://localhost:4000/graphql';

export interface DemoCliOptions {
  articles: number;
  seed: number;
  gatewayUrl: string;
  admin: { email: string; password: string };
}

export type ParsedDemoArgs = { kind: 'run'; options: DemoCliOptions } | { kind: 'help' } | { kind: 'error'; message: string };

const OPTIONS = ['--articles', '--seed', '--gateway', '--email', '--password'] as const;
type OptionName = (typeof OPTIONS)[number];

function wholeNumber(name: string, given: string, min: number, max: number): number | string {
  if (!/^\d+$/.test(given)) return `${name} must be a whole number; got "${given.slice(0, 40)}"`;
  const value = Number(given);
  if (value < min || value > max) return `${name} must be ${min.toLocaleString('en-IN')} to ${max.toLocaleString('en-IN')}; got ${given}`;
  return value;
}

/**
 * Reads the command line (`--name value` or `--name=value`) and the environment; never exits, so the CLI
 * decides (exit 2 for a refusal) and tests can call it.
 */
export function parseDemoArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ParsedDemoArgs {
  const given = new Map<OptionName, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!(OPTIONS as readonly string[]).includes(name)) {
      return { kind: 'error', message: arg.startsWith('-') ? `Unknown option ${name}` : `Unexpected argument "${arg.slice(0, 40)}" (options take the form --name value)` };
    }
    const value = inline ?? argv[i + 1];
    if (inline === undefined) i += 1;
    if (value === undefined || (inline === undefined && value.startsWith('--'))) return { kind: 'error', message: `${name} needs a value` };
    if (given.has(name as OptionName)) return { kind: 'error', message: `${name} is given twice` };
    given.set(name as OptionName, value);
  }

  const articles = wholeNumber('--articles', given.get('--articles') ?? '20000', 1, MAX_DEMO_ARTICLES);
  if (typeof articles === 'string') return { kind: 'error', message: articles };
  const seed = wholeNumber('--seed', given.get('--seed') ?? '1', 0, 2 ** 31 - 1);
  if (typeof seed === 'string') return { kind: 'error', message: seed };

  const gatewayUrl = (given.get('--gateway') ?? env.DAKGRAPH_URL ?? DEFAULT_GATEWAY_URL).trim();
  let url: URL;
  try {
    url = new URL(gatewayUrl);
  } catch {
    return { kind: 'error', message: `--gateway must be a URL like ${DEFAULT_GATEWAY_URL}; got "${gatewayUrl.slice(0, 80)}"` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'error', message: `--gateway must be an http or https URL; got "${gatewayUrl.slice(0, 80)}"` };

  const email = (given.get('--email') ?? env.DAKGRAPH_ADMIN_EMAIL ?? '').trim();
  const password = given.get('--password') ?? env.DAKGRAPH_ADMIN_PASSWORD ?? '';
  if (!email || !password) {
    return {
      kind: 'error',
      message: `The demo logs in as an admin: give --email and --password, or set DAKGRAPH_ADMIN_EMAIL and DAKGRAPH_ADMIN_PASSWORD (missing: ${[!email && 'email', !password && 'password'].filter(Boolean).join(' and ')})`,
    };
  }
  // A bare origin means its GraphQL endpoint, where the gateway serves it.
  const endpoint = url.pathname === '/' ? `${url.origin}/graphql` : gatewayUrl;
  return { kind: 'run', options: { articles, seed, gatewayUrl: endpoint, admin: { email, password } } };
}

/**
 * The payment provider's signing secret: PSP_CALLBACK_SECRET, else the one `npm start` keeps in
 * .data/secrets.json (next to DAKGRAPH_DATA_DIR when that is set). `readFile` answers null for a file
 * that is not there. Answers a message instead when there is none to be had.
 */
export function resolvePspCallbackSecret(
  env: Readonly<Record<string, string | undefined>>,
  repoRoot: string,
  readFile: (file: string) => string | null,
): { secret: string } | { message: string } {
  if (env.PSP_CALLBACK_SECRET) return checkSecret(env.PSP_CALLBACK_SECRET, 'PSP_CALLBACK_SECRET');
  const dataDir = env.DAKGRAPH_DATA_DIR ? path.resolve(repoRoot, env.DAKGRAPH_DATA_DIR) : path.join(repoRoot, '.data', 'pglite');
  const file = path.join(path.dirname(dataDir), 'secrets.json');
  const text = readFile(file);
  if (text === null) return { message: `Set PSP_CALLBACK_SECRET (the payment provider's callback secret the graph was started with), or run npm start once so that ${file} holds pspCallbackSecret` };
  let kept: { pspCallbackSecret?: unknown };
  try {
    kept = JSON.parse(text) as typeof kept;
  } catch {
    return { message: `${file} is not JSON; set PSP_CALLBACK_SECRET instead` };
  }
  if (typeof kept.pspCallbackSecret !== 'string') return { message: `${file} has no pspCallbackSecret; set PSP_CALLBACK_SECRET instead` };
  return checkSecret(kept.pspCallbackSecret, `pspCallbackSecret in ${file}`);
}

function checkSecret(secret: string, where: string): { secret: string } | { message: string } {
  // Standard Webhooks secrets are "whsec_" and base64; anything else cannot sign a callback the graph accepts.
  if (!/^whsec_[A-Za-z0-9+/]+=*$/.test(secret.trim())) return { message: `${where} must be a Standard Webhooks secret ("whsec_" and base64)` };
  return { secret: secret.trim() };
}
