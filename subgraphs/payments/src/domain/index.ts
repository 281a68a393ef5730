export * from './money';
export * from './upi';
export * from './qr';
export * from './reference';
export * from './ledger';
export * from './remittance';
