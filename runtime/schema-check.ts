/**
 * The connect-time schema check: the connected QEMU's query-qmp-schema,
 * read once per QEMU version (the greeting names the version, so a version
 * seen before costs no round trip, and connections opened at once share
 * one read), checks every call before it is sent; a call that QEMU would
 * refuse is rejected locally with QmpSchemaDriftError, naming what it
 * refuses and the QEMU.
 */
import { compareSchemas, type SchemaDrift } from './drift.js';
import { QmpProtocolError } from './errors.js';
import { QemuSchema } from './qemu-schema.js';
import { readSchemaInfo, type SchemaInfo } from './schema-info.js';
import type { QmpGreeting } from './types.js';
import { problemText, type Problem, type TypeRegistry } from './validation.js';
import { qemuIdentity } from './wire.js';

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

function cacheKey(greeting: QmpGreeting, variant: string | undefined): string {
  const { qemu, package: pkg } = greeting.version;
  return JSON.stringify([qemu.major, qemu.minor, qemu.micro, pkg, variant ?? null]);
}

/**
 * The reads under way, by cache and key: a connection that needs a schema
 * another connection is reading waits for that read instead of asking too.
 */
const reads = new WeakMap<SchemaCache, Map<string, Promise<readonly SchemaInfo[]>>>();

/** query-qmp-schema's reply, checked; QmpProtocolError (`unreadable-schema`) when it is no schema. */
async function readSchema(greeting: QmpGreeting, ask: () => Promise<unknown>): Promise<readonly SchemaInfo[]> {
  const reading = readSchemaInfo(await ask());
  if (reading.ok) return reading.entities;
  const shown = reading.problems.slice(0, 10).join('; ');
  const more = reading.problems.length > 10 ? `; and ${reading.problems.length - 10} more` : '';
  throw new QmpProtocolError('unreadable-schema', `query-qmp-schema: ${qemuIdentity(greeting)} sent no schema qapi-ts can read: ${shown}${more}`);
}

/**
 * The schema kept under `key`; else the one another connection is reading
 * (if that read fails, this connection asks for itself: a failed read is
 * not kept, nor passed on); else asked for with `ask`, and kept.
 */
async function schemaEntities(cache: SchemaCache, key: string, greeting: QmpGreeting, ask: () => Promise<unknown>): Promise<readonly SchemaInfo[]> {
  let underWay = reads.get(cache);
  if (underWay === undefined) reads.set(cache, (underWay = new Map()));
  for (;;) {
    const kept = cache.get(key);
    if (kept !== undefined) return kept;
    const running = underWay.get(key);
    if (running === undefined) break;
    const shared = await running.catch(() => undefined);
    if (shared !== undefined) return shared;
  }
  const mine = readSchema(greeting, ask);
  underWay.set(key, mine);
  try {
    const entities = await mine;
    cache.set(key, entities);
    return entities;
  } finally {
    if (underWay.get(key) === mine) underWay.delete(key);
  }
}

/**
 * The connected QEMU's schema: from the cache when its version was read
 * before, else asked for with one `query-qmp-schema` (shared by the
 * connections that need it at the same time).  A reply that is no schema
 * rejects with QmpProtocolError (`unreadable-schema`) listing what is
 * wrong with it.
 */
export async function loadQemuSchema(greeting: QmpGreeting, options: SchemaCheckOptions, ask: () => Promise<unknown>): Promise<QemuSchema> {
  const entities = await schemaEntities(options.cache ?? PROCESS_CACHE, cacheKey(greeting, options.variant), greeting, ask);
  let schema = built.get(entities);
  if (schema === undefined) {
    schema = new QemuSchema(entities);
    built.set(entities, schema);
  }
  return schema;
}

/** The schema check of one connection: its QEMU's schema, asked before each call is sent. */
export class SchemaCheck {
  private drift: SchemaDrift | undefined;

  constructor(
    private readonly schema: QemuSchema,
    /** The QEMU, as `qemuIdentity` names it. */
    readonly qemu: string,
  ) {}

  /** Throws QmpSchemaDriftError when the QEMU would refuse the call. */
  admit(command: string, args: Record<string, unknown> | undefined): void {
    const refusals = this.schema.refusals(command, args);
    if (refusals.length > 0) throw new QmpSchemaDriftError(command, this.qemu, refusals);
  }

  /** What `bindings` and the QEMU disagree on; computed once. */
  driftFrom(bindings: TypeRegistry<unknown, unknown, unknown>): SchemaDrift {
    this.drift ??= compareSchemas(bindings, this.schema, this.qemu);
    return this.drift;
  }
}

/** Reads the connected QEMU's schema (see loadQemuSchema) for a connection's check. */
export async function startSchemaCheck(greeting: QmpGreeting, options: true | SchemaCheckOptions, ask: () => Promise<unknown>): Promise<SchemaCheck> {
  const schema = await loadQemuSchema(greeting, options === true ? {} : options, ask);
  return new SchemaCheck(schema, qemuIdentity(greeting));
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
