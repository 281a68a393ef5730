export * from './errors';
export * from './http';
export * from './subgraph';
export * from './viewer';
export * from './pagination';
export * from './batching';
export * from './internal';
export * from './idempotency';
