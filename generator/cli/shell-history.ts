/**
 * The shell's history file: one line per entry, oldest first, the newest
 * HISTORY_SIZE kept.  It is `--history FILE`, else
 * `$XDG_STATE_HOME/qapi-ts/history` when XDG_STATE_HOME is set, else
 * `~/.qapi-ts_history`; only the user may read it (lines may hold
 * secrets).  A file that cannot be read or written costs the history, not
 * the session: the shell warns once.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** How many lines are kept, in memory and in the file. */
export const HISTORY_SIZE = 1000;

export function defaultHistoryFile(env: NodeJS.ProcessEnv = process.env): string {
  const state = env['XDG_STATE_HOME'];
  return state !== undefined && state !== '' ? join(state, 'qapi-ts', 'history') : join(homedir(), '.qapi-ts_history');
}

export class HistoryFile {
  private warned = false;

  constructor(
    readonly path: string,
    private readonly warn: (message: string) => void,
  ) {}

  /** The saved lines, newest first (as readline keeps them); none when there is no file yet. */
  load(): string[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.fail('read', e);
      return [];
    }
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(-HISTORY_SIZE)
      .reverse();
  }

  /** Writes readline's history (newest first) as the file. */
  save(lines: readonly string[]): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      const oldestFirst = lines.slice(0, HISTORY_SIZE).reverse();
      writeFileSync(this.path, oldestFirst.map((l) => `${l}\n`).join(''), { mode: 0o600 });
    } catch (e) {
      this.fail('write', e);
    }
  }

  private fail(what: string, e: unknown): void {
    if (this.warned) return;
    this.warned = true;
    this.warn(`qapi-ts: warning: cannot ${what} the history file ${this.path} (${(e as Error).message}); history is kept for this session only`);
  }
}
