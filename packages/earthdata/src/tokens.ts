import type { EarthdataComponents } from '@cloudscapes/core';
import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

import type { EarthdataModel } from './model';

type Session = EarthdataComponents['schemas']['Session'];
type DaacCredentials = EarthdataComponents['schemas']['DaacCredentials'];
type Region = EarthdataComponents['schemas']['Region'];

/**
 * The Earthdata Login state, for other Cloudscapes parts (for example the data
 * browser, which offers S3 links only in region and refreshes a DAAC's
 * credentials before reading from its bucket).
 */
export interface IEarthdataModel {
  /**
   * The session, or `null` before the first answer.
   */
  readonly session: Session | null;
  readonly signedIn: boolean;
  /**
   * Emitted after every new session (sign-in, sign-out, renewal, reload).
   */
  readonly sessionChanged: ISignal<IEarthdataModel, Session | null>;
  /**
   * Every DAAC the server lists, or `null` before the first answer.
   */
  readonly credentials: DaacCredentials[] | null;
  /**
   * AWS profiles that exist for the DAACs shown (e.g. `earthdata-nsidc`).
   */
  readonly profiles: string[];
  readonly region: Region | null;
  /**
   * Fetch (or refresh) one DAAC's temporary S3 credentials on the server.
   */
  refreshDaac(daac: string): Promise<DaacCredentials>;
}

/**
 * Provided by `@cloudscapes/earthdata:plugin`. Consumers import it from this
 * package, which JupyterLab shares as a singleton.
 */
export const IEarthdataModel = new Token<IEarthdataModel>(
  '@cloudscapes/earthdata:IEarthdataModel',
  'The Earthdata Login session, the DAACs’ S3 credential status and the region.'
);

/**
 * The Earthdata model with its actions (sign in and out, renew, AWS
 * profiles), shared by this package's plugins. Other packages use
 * `IEarthdataModel`, which is the same object.
 */
export const IEarthdataService = new Token<EarthdataModel>(
  '@cloudscapes/earthdata:IEarthdataService',
  'The Earthdata Login model and its actions, for the Earthdata plugins.'
);
