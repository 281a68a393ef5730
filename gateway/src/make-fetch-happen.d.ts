// make-fetch-happen ships no types; this is the part of its API we use (see its README).
declare module 'make-fetch-happen' {
  import type { Fetcher } from '@apollo/utils.fetcher';
  interface FetchOptions {
    maxSockets?: number;
    retry?: boolean | { retries?: number };
    timeout?: number;
  }
  const fetch: Fetcher & { defaults(options: FetchOptions): Fetcher };
  export default fetch;
}
