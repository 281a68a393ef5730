export * from './message';
export * from './fileSender';
export * from './httpSender';
export * from './env';
