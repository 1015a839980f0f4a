/**
 * The minimal surface generated command wrappers depend on, so they can run on
 * QmpClient or on any other implementation (a test double, a proxy).
 */

import type { AbortSignalLike } from './platform.js';
import type { ReleaseChoice } from './span.js';
import type { SpanInfo } from './tables.js';

export interface ExecuteOptions {
  /** Send as `exec-oob` (needs the `oob` capability negotiated). */
  oob?: boolean;
  /** Milliseconds to wait for the reply; 0 or `Infinity`: no limit. Overrides the client's `commandTimeout`. */
  timeout?: number;
  /** Aborting rejects the call with the signal's reason; a late reply is dropped. */
  signal?: AbortSignalLike;
  /** For `success-response: false` commands: resolve undefined once sent. */
  noReply?: boolean;
  /** Skip checking the call against the connected QEMU's schema. */
  unchecked?: boolean;
}

export interface QmpTransport {
  execute(command: string, args?: Record<string, unknown>, options?: ExecuteOptions): Promise<unknown>;
  /**
   * Which release of a span the connected QEMU is, for bindings that span
   * releases (QmpClient answers from the greeting); a transport without it
   * leaves their calls unchecked against a release.
   */
  releaseIn?(span: SpanInfo): ReleaseChoice | undefined;
}
