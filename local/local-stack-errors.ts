/**
 * Errors of the local stack (`npm start`): what a user sees as one line, e.g.
 * `error: port 4566 is already in use; pass --port to choose another`.
 */
import { PlatformWebhooksError } from '../lambda/core/errors';

/** A base for the local stack's errors, so a caller can tell them from bugs. */
export class LocalStackError extends PlatformWebhooksError {
  override name = 'LocalStackError';
}

/** The port a server of the local stack was asked to listen on is taken. */
export class PortInUseError extends LocalStackError {
  override name = 'PortInUseError';

  /** The port that was taken. */
  readonly port: number;
  /** Which server wanted it: the AWS endpoint or the demo receiver. */
  readonly server: 'endpoint' | 'receiver';

  constructor(port: number, server: 'endpoint' | 'receiver', options?: ErrorOptions) {
    super(`port ${port} is already in use`, options);
    this.port = port;
    this.server = server;
  }
}
