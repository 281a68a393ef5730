export { S10Error } from './errors.js';
export type { S10ErrorReason } from './errors.js';
export { MAX_SERIAL, checkDigit, format, isValid, parse } from './s10.js';
export type { S10Number } from './s10.js';
export { SERVICE_INDICATORS, productFamilyOf, serviceIndicatorInfo } from './service-indicators.js';
export type { ProductFamily, ServiceIndicatorRange } from './service-indicators.js';
