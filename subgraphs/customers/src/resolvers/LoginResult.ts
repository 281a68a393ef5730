import type { LoginResultResolvers } from '../__generated__/resolvers-types';

export const LoginResult: LoginResultResolvers = {
  token: (result) => result.token,
  expiresAt: (result) => result.expiresAt.toISOString(),
  viewer: (result) => result.viewer,
};
