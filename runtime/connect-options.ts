/** What `QmpClient.connect` can be asked for: one option bag, each part
 *  described where its feature lives (reconnecting, the schema check). */
import type { QmpProtocolError } from './errors.js';
import type { ReconnectOptions } from './reconnect.js';
import type { SchemaCheckOptions } from './schema-check.js';
import type { EventMap, QmpEvent } from './types.js';
import type { TypeRegistry } from './validation.js';

export interface ConnectOptions {
  /** Capabilities to enable if the server offers them. */
  capabilities?: 'oob'[];
  /**
   * Milliseconds allowed for connecting and the handshake (default 30 s;
   * 0 also means 30 s), and the default reply timeout of every command when
   * `commandTimeout` is not given.
   */
  timeout?: number;
  /**
   * Milliseconds a command waits for its reply unless its own `timeout` says
   * otherwise (default 300 000, five minutes; 0 or `Infinity`: no limit).
   */
  commandTimeout?: number;
  /**
   * Longest accepted line in bytes, CRLF excluded (default 16 MiB). Also the
   * most event text the event buffer keeps.
   */
  maxLineLength?: number;
  /**
   * How many recent events are kept for `waitFor` (default 256), as long as
   * their lines total at most `maxLineLength` bytes.
   */
  eventBufferSize?: number;
  /** Receives unusable lines; they are skipped either way. */
  onProtocolError?: (error: QmpProtocolError) => void;
  /**
   * The bindings' registry (generated `registry`): events are read as the
   * bindings type them (their 64-bit integers by their Int64Mode), the
   * client's event map is theirs, and the schema check compares with them.
   */
  bindings?: TypeRegistry<unknown, unknown, EventMap, string>;
  /**
   * With bindings that span releases: the release of theirs to take the
   * QEMU for, instead of the one its greeting's version gives (a
   * distribution's build that has a later release's features).  A release
   * the bindings do not span is a RangeError.
   */
  release?: string;
  /**
   * Checks every call against the connected QEMU's own schema before it is
   * sent (default off).  The schema is read with `query-qmp-schema` while
   * connecting, once per QEMU version and `variant` (then kept in `cache`);
   * a call QEMU would refuse (a command, member or enum value it lacks, a
   * member it requires) rejects with QmpSchemaDriftError and nothing is
   * sent.  With `bindings`, `client.schemaDrift` lists every difference.
   * Calls made with `unchecked` skip it.
   */
  checkSchema?: boolean | SchemaCheckOptions;
  /**
   * Reconnects after the connection is lost (default off; a path or host
   * target only): waits (100 ms, doubling, at most 5 s by default), opens
   * the connection again, renegotiates the same capabilities and (with
   * `checkSchema`) checks the schema again; handlers, iterators and
   * waiters carry on.  Commands in flight at the loss reject with
   * QmpOutcomeUnknownError; commands sent while reconnecting reject at
   * once.  `client.onReconnect` tells each step; after `attempts` failed
   * attempts (10 by default) the client closes.
   */
  reconnect?: boolean | ReconnectOptions;
  /**
   * Receives exceptions thrown by event handlers. Without it they are
   * re-thrown from a microtask, i.e. surface like any uncaught bug.
   */
  onHandlerError?: (error: unknown, event: QmpEvent) => void;
}
