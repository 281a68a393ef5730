#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { newProviderTransactionId, sendCallback, signCallback } from '../psp';

/**
 * The simulated payment service provider's command line, for development:
 *
 *   npm run psp -w @dakgraph/payments -- pay <reference> [--fail] [--amount <paise>] [--vpa <payer VPA>] [--gateway <url>]
 *
 * It reads the payment request from the graph (the public `paymentRequest` query, as a payer's app reads
 * the QR code), then POSTs a signed callback to the gateway's /payments/callback, as a provider would.
 * The secret is PSP_CALLBACK_SECRET or, for `npm start`, `pspCallbackSecret` in .data/secrets.json.
 */
const USAGE = 'usage: npm run psp -w @dakgraph/payments -- pay <reference> [--fail] [--amount <paise>] [--vpa <payer VPA>] [--gateway <url>]';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

function secret(): string {
  if (process.env.PSP_CALLBACK_SECRET) return process.env.PSP_CALLBACK_SECRET;
  const file = path.resolve(__dirname, '..', '..', '..', '..', '.data', 'secrets.json');
  if (existsSync(file)) {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { pspCallbackSecret?: string };
    if (kept.pspCallbackSecret) return kept.pspCallbackSecret;
  }
  throw new Error(`set PSP_CALLBACK_SECRET, or run npm start once so that ${file} holds pspCallbackSecret`);
}

async function main(args: string[]): Promise<number> {
  const [command, reference] = args;
  if (command !== 'pay' || !reference || reference.startsWith('--')) {
    console.error(USAGE);
    return 2;
  }
  const gateway = (option(args, '--gateway') ?? process.env.GATEWAY_URL ?? 'http://localhost:4000').replace(/\/+$/, '').replace(/\/graphql$/, '');
  let amountPaise = option(args, '--amount') === undefined ? undefined : Number(option(args, '--amount'));
  if (amountPaise === undefined) {
    const response = await fetch(`${gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query ($r: String!) { paymentRequest(reference: $r) { amountPaise status } }', variables: { r: reference } }),
    });
    const answer = (await response.json()) as { data?: { paymentRequest: { amountPaise: number; status: string } | null }; errors?: { message: string }[] };
    if (answer.errors?.length) throw new Error(answer.errors.map((e) => e.message).join('; '));
    const request = answer.data?.paymentRequest;
    if (!request) throw new Error(`No payment has the reference ${reference}`);
    amountPaise = request.amountPaise;
    console.log(`payment ${reference}: ${amountPaise} paise, ${request.status}`);
  }
  if (!Number.isInteger(amountPaise) || amountPaise < 0) throw new Error('--amount must be whole paise');
  const signed = signCallback(secret(), {
    reference,
    status: args.includes('--fail') ? 'FAILURE' : 'SUCCESS',
    amountPaise,
    providerTransactionId: newProviderTransactionId(),
    payerVpa: option(args, '--vpa') ?? 'payer@upi',
  });
  const answer = await sendCallback(`${gateway}/payments/callback`, signed);
  console.log(`callback ${signed.headers['webhook-id']}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.status === 200 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`psp: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
