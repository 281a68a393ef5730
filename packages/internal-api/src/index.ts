/**
 * The declarations of dakgraph's internal (service-to-service) routes, imported by the service that
 * serves each route and by every caller, so both sides read one contract.
 */
export * from './customers';
export * from './articleEvents';
export * from './payments';
