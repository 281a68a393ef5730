export { runDemoDay, type DemoDayOptions, type DemoDaySummary } from './demoDay';
export { planDemoDay, officesByCircle, needsDeliveryOtp, DEMO_MIX, DEMO_SCALE } from './plan';
export type { DemoDayPlan, PlannedArticle, PlannedOffice, PlannedDeliveryOffice, PlannedPartner, ArticleFate, DemoProduct, AttemptReason, PlanDirectory } from './plan';
export { parseDemoArgs, resolvePspCallbackSecret, DEMO_USAGE, type DemoCliOptions, type ParsedDemoArgs } from './args';
export { formatSummary } from './summary';
export { GraphRefusal, describeError } from './graphClient';
