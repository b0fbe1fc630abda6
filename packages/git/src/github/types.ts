/**
 * `GET cloudscapes/git/github` as the sign-in card reads it (the `GitHub` and
 * `DeviceFlow` schemas of `schema/git-remote.yaml`, written here until core
 * exports the generated git types).
 */

export type DeviceState =
  'pending' | 'slow_down' | 'expired' | 'denied' | 'error' | 'signed_in';

export interface IGitHubDevice {
  user_code: string;
  verification_uri: string;
  /** ISO time the user code stops working. */
  expires_at: string;
  /** Seconds GitHub asks between polls. */
  interval: number;
  state: DeviceState;
  message: string | null;
}

export interface IGitHubState {
  configured: boolean;
  host: string;
  signed_in: boolean;
  login: string | null;
  /** ISO time the sign-in ends (the token's refresh keeps it going). */
  expires_at: string | null;
  repositories: string[] | null;
  device: IGitHubDevice | null;
}

/**
 * Whether the card should keep asking the server (a flow is waiting for the user).
 */
export function isWaiting(state: IGitHubState | null): boolean {
  const device = state?.device;
  return (
    !!device &&
    !state?.signed_in &&
    (device.state === 'pending' || device.state === 'slow_down')
  );
}
