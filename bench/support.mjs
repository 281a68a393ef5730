// What the benchmarks share: their settings from the environment, the GraphQL call, latency percentiles.

/** A whole number of 1 or more from the environment variable `name`, or `fallback`. */
export function wholeNumberFromEnv(name, fallback) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number, 1 or more`);
  return value;
}

/** The data of a GraphQL operation through the gateway at `url`; throws with the errors when there are any. */
export async function graphql(url, query, variables, headers = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json().catch(() => ({ errors: [{ message: `HTTP ${response.status}, not JSON` }] }));
  if (body.errors) throw new Error(`${query.slice(0, 60)}...: ${body.errors.map((e) => e.message).join('; ').slice(0, 400)}`);
  return body.data;
}

/** The p-th percentile of ascending `sorted` milliseconds, to 0.1 ms; null when there are none. */
export function percentile(sorted, p) {
  if (!sorted.length) return null;
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1));
}
