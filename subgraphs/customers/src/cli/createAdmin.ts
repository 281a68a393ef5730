import { checkPasswordPolicy, hashPassword } from '@dakgraph/auth';
import { databaseFromEnv, openDatabase, type Database } from '@dakgraph/db';
import { prepareCustomersDatabase } from '../database';
import { createCustomersPrisma } from '../db';
import { insertStaff, staffByEmail } from '../services/staff';
import * as check from '../services/validation';

const USAGE = `Creates the first admin account (or says it exists):
  DAKGRAPH_ADMIN_PASSWORD=... node dist/cli/createAdmin.js --email a@example.in --name "A Name" --office 110001-new-delhi
  (or pipe the password on stdin, or type it when asked; it is never taken from the command line,
  where other users could read it in \`ps\`). Uses DATABASE_URL, or the embedded database.`;

export interface CreateAdminIo {
  env: NodeJS.ProcessEnv;
  /** The password when DAKGRAPH_ADMIN_PASSWORD is unset: piped in, or typed without echo. */
  readPassword: () => Promise<string>;
  out: (line: string) => void;
  err: (line: string) => void;
  /** An open database to use (and leave open); by default the one the environment names. */
  db?: Database;
}

/** `--name value` and `--name=value`; null when an option is repeated, unknown or has no value. */
export function parseArgs(argv: readonly string[]): Record<'email' | 'name' | 'office', string> | null {
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--(email|name|office)(?:=(.*))?$/.exec(argv[i]!);
    if (!match || match[1]! in options) return null;
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '') return null;
    options[match[1]!] = value;
  }
  return options.email && options.name && options.office ? (options as Record<'email' | 'name' | 'office', string>) : null;
}

/** The whole command; returns the exit code (0 also when the admin already exists). */
export async function createAdmin(argv: readonly string[], io: CreateAdminIo): Promise<number> {
  const args = parseArgs(argv);
  if (!args) {
    io.err(USAGE);
    return 2;
  }
  let email: string;
  let name: string;
  try {
    email = check.email(args.email, '--email');
    name = check.text(args.name, '--name', 200);
  } catch (error) {
    io.err((error as Error).message);
    return 2;
  }
  // A password from the environment is checked before any database work; one typed in is asked for
  // only once we know the account does not exist yet.
  const fromEnv = io.env.DAKGRAPH_ADMIN_PASSWORD;
  const envRefusal = fromEnv === undefined ? null : checkPasswordPolicy(fromEnv);
  if (envRefusal) {
    io.err(`DAKGRAPH_ADMIN_PASSWORD was refused: ${envRefusal}`);
    return 2;
  }

  const db = io.db ?? (await openDatabase(databaseFromEnv(io.env)));
  const prisma = createCustomersPrisma(db);
  try {
    await prepareCustomersDatabase(db, { log: io.out });
    const existing = await staffByEmail(prisma, email);
    if (existing) {
      io.out(`A staff account with email ${existing.email} already exists (${existing.role}, ${existing.id}); nothing changed.`);
      return 0;
    }
    const office = await prisma.officeRef.findUnique({ where: { id: args.office } });
    if (!office) {
      io.err(`No post office has id "${args.office}"; ids look like "110001-new-delhi" (pincode and name).`);
      return 2;
    }
    const password = fromEnv ?? (await io.readPassword());
    const refusal = checkPasswordPolicy(password);
    if (refusal) {
      io.err(`The password was refused: ${refusal}`);
      return 2;
    }
    const passwordHash = await hashPassword(password);
    const admin = await prisma.$transaction(async (tx) =>
      insertStaff(tx, { name, email, passwordHash, role: 'ADMIN', office }),
    );
    io.out(`Created admin ${admin.name} <${admin.email}> (${admin.id}) at ${admin.officeId} in ${db.description}.`);
    return 0;
  } finally {
    await prisma.$disconnect();
    if (!io.db) await db.close();
  }
}

/** Reads a password from a pipe, or from the terminal without echoing it. */
async function readPasswordFromStdin(): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  process.stderr.write('Password for the new admin (not shown): ');
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (finish: () => void) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      finish();
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n' || character === '\u0004') return done(() => resolve(typed));
        if (character === '\u0003') return done(() => reject(new Error('cancelled')));
        typed = character === '\u007f' || character === '\b' ? typed.slice(0, -1) : typed + character;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

if (require.main === module) {
  createAdmin(process.argv.slice(2), {
    env: process.env,
    readPassword: readPasswordFromStdin,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error('create-admin failed:', error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
