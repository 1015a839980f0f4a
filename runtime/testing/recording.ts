/**
 * A recorded QMP session, as a readable file: JSON Lines, the first line a
 * header, then one line per message in the order the recorder saw them,
 * each with its time (milliseconds since the recording started), its
 * connection (1, 2, ... in the order clients connected) and who sent it:
 *
 *   {"qmp-recording":1,"recorded":"2025-05-01T10:00:00.000Z","upstream":"/run/vm/qmp.sock"}
 *   {"ms":0.41,"conn":1,"server":{"QMP":{"version":{...},"capabilities":["oob"]}}}
 *   {"ms":1.02,"conn":1,"client":{"execute":"qmp_capabilities","id":1}}
 *   {"ms":1.35,"conn":1,"server":{"return":{},"id":1}}
 *   {"ms":9.80,"conn":1,"closed":"client"}
 *
 * Client input that was no JSON is kept as text (`client-text`).  Integers
 * are exact (64-bit ones included).
 */
import { parseQmpJson, stringifyQmpJson } from '../json.js';
import { isPlainObject } from './values.js';

export const RECORDING_VERSION = 1;

export interface RecordingHeader {
  readonly 'qmp-recording': number;
  /** When the recording started (ISO 8601). */
  readonly recorded?: string;
  /** What was recorded: the QEMU socket the recorder relayed to. */
  readonly upstream?: string;
}

export type RecordedEntry =
  | { readonly ms: number; readonly conn: number; readonly client: unknown }
  | { readonly ms: number; readonly conn: number; readonly server: unknown }
  | { readonly ms: number; readonly conn: number; readonly 'client-text': string }
  | { readonly ms: number; readonly conn: number; readonly closed: 'client' | 'server' };

export interface Recording {
  readonly header: RecordingHeader;
  /** Every entry, in the order recorded. */
  readonly entries: readonly RecordedEntry[];
}

/** One entry as its line (without the newline). */
export function entryLine(entry: RecordingHeader | RecordedEntry): string {
  return stringifyQmpJson(entry);
}

/** A whole recording as the file's text. */
export function recordingText(recording: Recording): string {
  return [recording.header, ...recording.entries].map((e) => `${entryLine(e)}\n`).join('');
}


/** A recording file that is not one: where and what. */
export class RecordingFormatError extends Error {
  override readonly name = 'RecordingFormatError';
}

/**
 * Reads a recording's text, checking every line: a malformed line is an
 * error naming its number (`source:LINE`), never a skipped line.
 */
export function parseRecording(text: string, source = 'recording'): Recording {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const fail = (line: number, message: string): never => {
    throw new RecordingFormatError(`${source}:${line}: ${message}`);
  };
  const read = (i: number): Record<string, unknown> => {
    let value: unknown;
    try {
      value = parseQmpJson(lines[i]!);
    } catch (e) {
      return fail(i + 1, `not JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    if (!isPlainObject(value)) return fail(i + 1, 'expected a JSON object');
    return value;
  };
  if (lines.length === 0) fail(1, 'empty: expected the header line {"qmp-recording": 1, ...}');
  const header = read(0);
  if (header['qmp-recording'] !== RECORDING_VERSION) {
    fail(1, `expected the header {"qmp-recording": ${RECORDING_VERSION}, ...}, got ${lines[0]!.slice(0, 80)}`);
  }
  const entries: RecordedEntry[] = [];
  for (let i = 1; i < lines.length; i++) {
    const e = read(i);
    if (typeof e.ms !== 'number' || !(e.ms >= 0)) fail(i + 1, "'ms' must be a non-negative number");
    if (typeof e.conn !== 'number' || !Number.isInteger(e.conn) || e.conn < 1) fail(i + 1, "'conn' must be a positive integer");
    const kinds = ['client', 'server', 'client-text', 'closed'].filter((k) => Object.hasOwn(e, k));
    if (kinds.length !== 1) fail(i + 1, "expected exactly one of 'client', 'server', 'client-text', 'closed'");
    const extra = Object.keys(e).filter((k) => !['ms', 'conn', ...kinds].includes(k));
    if (extra.length > 0) fail(i + 1, `unexpected key '${extra[0]}'`);
    if (kinds[0] === 'client-text' && typeof e['client-text'] !== 'string') fail(i + 1, "'client-text' must be a string");
    if (kinds[0] === 'closed' && e.closed !== 'client' && e.closed !== 'server') fail(i + 1, "'closed' must be \"client\" or \"server\"");
    entries.push(e as unknown as RecordedEntry);
  }
  return { header: header as unknown as RecordingHeader, entries };
}

/** The entries of one connection, in order. */
export function connectionEntries(recording: Recording, conn: number): RecordedEntry[] {
  return recording.entries.filter((e) => e.conn === conn);
}

/** The connections a recording holds, in the order they opened. */
export function connectionNumbers(recording: Recording): number[] {
  return [...new Set(recording.entries.map((e) => e.conn))];
}
