export * from './days';
export * from './figures';
export * from './groups';
