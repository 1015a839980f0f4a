/**
 * Events read as the bindings type them: a client connected with
 * `{ bindings: registry }` reads each event's data through the registry
 * (its 64-bit integers by the bindings' Int64Mode) before anyone sees it.
 */
import { QmpProtocolError } from './errors.js';
import type { QmpEvent } from './types.js';
import type { TypeRegistry } from './validation.js';

/**
 * Reads `event.data` in place as `bindings` type it.  Returns why the
 * bindings cannot hold it (an integer `number` mode cannot hold exactly,
 * a value nested too deeply), or undefined when it was read (or the
 * bindings do not know the event, or it has no data).  `release`: for
 * bindings that span releases, the connected release's position.
 */
export function readEventData(bindings: TypeRegistry<unknown, unknown, unknown> | undefined, event: QmpEvent, release = -1): QmpProtocolError | undefined {
  const type = bindings?.event(event.event);
  if (type === undefined || type === null) return undefined;
  try {
    bindings!.read(type, event.data, 'data', event.event, release);
    return undefined;
  } catch (err) {
    if (err instanceof QmpProtocolError) return err;
    throw err;
  }
}
