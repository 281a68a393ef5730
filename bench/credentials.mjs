#!/usr/bin/env node
// Makes the credentials the booking benchmark needs, through a running graph: logs in as an existing
// admin (see README: create-admin), creates a counter clerk and a partner with an API key, and prints
// them as shell exports:  eval "$(ADMIN_EMAIL=... ADMIN_PASSWORD=... node bench/credentials.mjs)"
import { randomUUID } from 'node:crypto';
import { graphql } from './support.mjs';

const gatewayUrl = process.env.GATEWAY_URL ?? 'http://localhost:4000/graphql';
const { ADMIN_EMAIL, ADMIN_PASSWORD } = process.env;
if (!ADMIN_EMAIL || !ADMIN_PASSWORD) {
  console.error('ADMIN_EMAIL and ADMIN_PASSWORD must name an existing admin');
  process.exit(2);
}

const call = (query, variables, headers) => graphql(gatewayUrl, query, variables, headers);

const login = async (email, password) =>
  (await call('mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: password })).login.token;

const admin = { authorization: `Bearer ${await login(ADMIN_EMAIL, ADMIN_PASSWORD)}` };
const run = randomUUID().slice(0, 8);
const clerkEmail = `bench-clerk-${run}@dakgraph.invalid`;
const clerkPassword = `bench clerk passphrase ${run}`;
await call(
  'mutation ($input: CreateStaffUserInput!, $key: String!) { createStaffUser(input: $input, idempotencyKey: $key) { id } }',
  { input: { name: 'Bench Clerk', email: clerkEmail, password: clerkPassword, role: 'COUNTER_CLERK', officeId: process.env.OFFICE_ID ?? '110001-baroda-house' }, key: `bench-clerk-${run}` },
  admin,
);
const { createPartner } = await call(
  `mutation ($key: String!) { createPartner(idempotencyKey: $key, input: { name: "Bench Partner", contactEmail: "bench@dakgraph.invalid",
    discountBasisPoints: 500, codAllowed: true, remittanceAccount: { holder: "Bench", accountNumber: "123456789012", ifsc: "SBIN0000691" } }) { id } }`,
  { key: `bench-partner-${run}` },
  admin,
);
const { createApiKey } = await call(
  'mutation ($id: ID!, $key: String!) { createApiKey(partnerId: $id, label: "bench", idempotencyKey: $key) { apiKey } }',
  { id: createPartner.id, key: `bench-key-${run}` },
  admin,
);
console.log(`export STAFF_TOKEN='${await login(clerkEmail, clerkPassword)}'`);
console.log(`export PARTNER_API_KEY='${createApiKey.apiKey}'`);
