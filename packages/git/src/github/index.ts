/**
 * GitHub sign-in: the device-flow card, its dialog, and the "sign in or ask
 * for credentials" step every network action takes after `auth_required`.
 */
export { DEVICE_POLL_INTERVAL, GitHubSignInCard, formatTime } from './card';
export type { IGitHubSignInCardProps } from './card';
export {
  GitHubCardBody,
  credentialsUrl,
  normalizeHost,
  showGitHubSignIn,
  signInOrAskCredentials
} from './signIn';
export { isWaiting } from './types';
export type { DeviceState, IGitHubDevice, IGitHubState } from './types';
