export * from './officeDirectory';
export * from './hierarchy';
