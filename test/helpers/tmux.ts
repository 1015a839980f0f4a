/**
 * A real terminal for tests of interactive programs: a tmux session of its
 * own (a private server socket), keys sent as a person types them, and the
 * screen read back as tmux renders it.  The pane stays after the program
 * exits, so its last screen and exit status can be read.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeTempDir, requireBinaries } from './qemu.js';

export function requireTmux(what: string): { available: boolean } {
  return requireBinaries(['tmux'], what);
}

export class TmuxTerminal {
  private constructor(
    private readonly server: string,
    private readonly dir: string,
  ) {}

  /** Starts `argv` (run directly, no shell) in a terminal of `columns` x `rows`. */
  static start(argv: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; columns?: number; rows?: number } = {}): TmuxTerminal {
    const dir = makeTempDir('qapi-ts-tmux-');
    const config = join(dir, 'tmux.conf');
    writeFileSync(config, 'set -g remain-on-exit on\nset -g history-limit 10000\nset -g status off\n');
    const terminal = new TmuxTerminal(join(dir, 'server'), dir);
    terminal.tmux(
      ['-f', config, 'new-session', '-d', '-x', String(options.columns ?? 200), '-y', String(options.rows ?? 50), ...(options.cwd ? ['-c', options.cwd] : []), '--', ...argv],
      { ...process.env, ...options.env },
    );
    return terminal;
  }

  private tmux(args: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
    const r = spawnSync('tmux', ['-S', this.server, ...args], { encoding: 'utf8', env });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }

  /** Types text as it is (no key names). */
  type(text: string): void {
    this.tmux(['send-keys', '-l', '--', text]);
  }

  /** Presses keys by tmux's names: Tab, Enter, Up, C-c, C-d, ... */
  press(...keys: string[]): void {
    this.tmux(['send-keys', ...keys]);
  }

  /** Everything on screen and in its scrollback, wrapped lines joined, trailing blanks dropped. */
  screen(): string {
    return this.tmux(['capture-pane', '-p', '-J', '-S', '-'])
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .replace(/\n+$/, '');
  }

  /** The line the cursor is on. */
  cursorLine(): string {
    const y = Number(this.tmux(['display-message', '-p', '#{cursor_y}']).trim());
    return (this.tmux(['capture-pane', '-p', '-J']).split('\n')[y] ?? '').trimEnd();
  }

  /** The process running in the terminal. */
  pid(): number {
    return Number(this.tmux(['display-message', '-p', '#{pane_pid}']).trim());
  }

  /** Resolves once the screen satisfies `test`; the deadline turns a hang into a failure that shows the screen. */
  async waitFor(test: RegExp | ((screen: string) => boolean), what = String(test), deadlineMs = 20_000): Promise<string> {
    const ok = typeof test === 'function' ? test : (s: string) => test.test(s);
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const screen = this.screen();
      if (ok(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`the terminal never showed ${what}; its screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Resolves with the program's exit status once it has exited (the signal's name when one killed it). */
  async exitStatus(deadlineMs = 20_000): Promise<number | string> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const [dead, status, signal] = this.tmux(['display-message', '-p', '#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}']).trim().split(':');
      // tmux may mark the pane dead a moment before it has the status.
      if (dead === '1' && status !== '') return Number(status);
      if (dead === '1' && signal !== '') return `signal ${signal}`;
      // tmux 3.3a at times marks the pane dead (its terminal closed) and never
      // reaps the process; a zombie's wait status is in its stat line.
      if (dead === '1') {
        const status = zombieWaitStatus(this.pid());
        if (status !== undefined) return status;
      }
      if (Date.now() > deadline) {
        const pid = this.pid();
        let state = 'gone';
        try {
          state = readFileSync(`/proc/${pid}/stat`, 'utf8').trim();
        } catch {
          // gone after all
        }
        throw new Error(`the program did not exit (pid ${pid}: ${state}); its screen:\n${this.screen()}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  close(): void {
    spawnSync('tmux', ['-S', this.server, 'kill-server']);
    removeTempDir(this.dir);
  }
}

/**
 * The exit status of a process that has exited and not been reaped, from the
 * `exit_code` field of /proc/PID/stat (field 52, a wait status); undefined
 * while it runs or once it is gone.
 */
function zombieWaitStatus(pid: number): number | string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields from the third on follow the command name's closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).trim().split(' ');
  if (fields[0] !== 'Z' || fields.length < 50) return undefined;
  const wait = Number(fields[49]);
  const signal = wait & 0x7f;
  return signal === 0 ? (wait >> 8) & 0xff : `signal ${signal}`;
}
