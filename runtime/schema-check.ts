/**
 * The connect-time schema check: the connected QEMU's query-qmp-schema,
 * read once per QEMU version (the greeting names the version, so a version
 * seen before costs no round trip), checks every call before it is sent;
 * a call that QEMU would refuse is rejected locally with
 * QmpSchemaDriftError, naming what it refuses and the QEMU.
 */
import { QmpProtocolError } from './errors.js';
import { QemuSchema } from './qemu-schema.js';
import { readSchemaInfo, type SchemaInfo } from './schema-info.js';
import type { QmpGreeting } from './types.js';
import { problemText, type Problem } from './validation.js';

/** Where schemas read from QEMUs are kept, by key (see SchemaCheckOptions):
 *  a Map will do, or a store that outlives the process. */
export interface SchemaCache {
  get(key: string): readonly SchemaInfo[] | undefined;
  set(key: string, schema: readonly SchemaInfo[]): void;
}

export interface SchemaCheckOptions {
  /**
   * Tells apart QEMU binaries of one version whose schemas differ: the
   * greeting names only the version and package, which a storage daemon
   * and a system emulator of one build share (as do builds configured
   * differently).  Part of the cache key; default none.
   */
  readonly variant?: string;
  /** Where schemas are kept; default one Map for the whole process. */
  readonly cache?: SchemaCache;
}

/** The cache of every client that is given none. */
const PROCESS_CACHE: SchemaCache = new Map<string, readonly SchemaInfo[]>();

/** Each schema's tables, built once however many clients share it. */
const built = new WeakMap<readonly SchemaInfo[], QemuSchema>();

/** How the QEMU is named in messages: `QEMU 7.2.22 (Debian 1:7.2+dfsg-7)`. */
export function qemuIdentity(greeting: QmpGreeting): string {
  const { qemu, package: pkg } = greeting.version;
  const version = `QEMU ${qemu.major}.${qemu.minor}.${qemu.micro}`;
  return pkg.trim() === '' ? version : `${version} (${pkg.trim()})`;
}

function cacheKey(greeting: QmpGreeting, variant: string | undefined): string {
  const { qemu, package: pkg } = greeting.version;
  return JSON.stringify([qemu.major, qemu.minor, qemu.micro, pkg, variant ?? null]);
}

/**
 * The connected QEMU's schema: from the cache when its version was read
 * before, else asked for with one `query-qmp-schema`.  A reply that is no
 * schema rejects with QmpProtocolError (`unreadable-schema`) listing what
 * is wrong with it.
 */
export async function loadQemuSchema(greeting: QmpGreeting, options: SchemaCheckOptions, ask: () => Promise<unknown>): Promise<QemuSchema> {
  const cache = options.cache ?? PROCESS_CACHE;
  const key = cacheKey(greeting, options.variant);
  let entities = cache.get(key);
  if (entities === undefined) {
    const reading = readSchemaInfo(await ask());
    if (!reading.ok) {
      const shown = reading.problems.slice(0, 10).join('; ');
      const more = reading.problems.length > 10 ? `; and ${reading.problems.length - 10} more` : '';
      throw new QmpProtocolError(
        'unreadable-schema',
        `query-qmp-schema: ${qemuIdentity(greeting)} sent no schema qapi-ts can read: ${shown}${more}`,
      );
    }
    entities = reading.entities;
    cache.set(key, entities);
  }
  let schema = built.get(entities);
  if (schema === undefined) {
    schema = new QemuSchema(entities);
    built.set(entities, schema);
  }
  return schema;
}

/** A call the connected QEMU would refuse, by its own schema: not sent. */
export class QmpSchemaDriftError extends Error {
  override readonly name = 'QmpSchemaDriftError';

  constructor(
    /** The command called. */
    readonly command: string,
    /** The QEMU, as `qemuIdentity` names it. */
    readonly qemu: string,
    /** What it refuses, each with its path (`arguments.backing-mask-protocol`). */
    readonly refusals: readonly Problem[],
  ) {
    super(`${command}: not sent: ${qemu} does not accept it:\n${refusals.map((p) => `  ${problemText(p)}`).join('\n')}`);
  }
}
