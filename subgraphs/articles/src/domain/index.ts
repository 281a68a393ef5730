/**
 * Pure domain rules of the articles subgraph: tariffs, delivery norms and the
 * tracking state machine. Nothing here touches the database or GraphQL.
 */
export * from './tariffData.js';
export * from './tariff.js';
export * from './delivery.js';
export * from './tracking.js';
export * from './otp.js';
export * from './sms.js';
export * from './deliverySync.js';
