export * from './event';
export * from './outbox';
export * from './transport';
export * from './inProcess';
export * from './jetstream';
