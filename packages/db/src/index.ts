export * from './database';
export * from './migrate';
export * from './paths';
export * from './testing';
export * from './snapshot';
export * from './purge';
export * from './prisma';
export * from './bulk';
