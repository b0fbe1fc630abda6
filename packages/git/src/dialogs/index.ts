/**
 * The git panel's dialogs: Clone, the commit identity, credentials for a
 * non-GitHub host, the result of "Update the tutorial", and the confirmation
 * before discarding changes.
 */
export {
  CloneForm,
  checkCloneUrl,
  checkFolderName,
  defaultFolderName,
  showCloneDialog
} from './clone';
export type { ICloneAnswer, IGitHubRepo, UrlCheck } from './clone';
export { IdentityForm, askIdentity, checkEmail, checkName } from './identity';
export type { IIdentity } from './identity';
export { CredentialsForm, askCredentials } from './credentials';
export type { ICredentials, RememberChoice } from './credentials';
export { UpdateResult, showUpdateResult } from './update';
export type { IUpdateResult } from './update';
export { DiscardBody, confirmDiscard } from './discard';
