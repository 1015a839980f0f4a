/**
 * The shell's read-check-send loop on node's readline: a line is read
 * (shell-line.ts), checked against the schema with the validators `qmp`
 * uses (the same messages, and nothing sent), sent, and its reply printed.
 * Events, and a started QEMU's stderr, are printed as they arrive: on a
 * terminal above the line being typed, which is then drawn again as it
 * was.  Lines are handled one at a time, in order; input waits meanwhile.
 */
import { clearScreenDown, createInterface, cursorTo, moveCursor, type Interface } from 'node:readline';
import { stringify } from 'lossless-json';
import { QmpConnectionError, QmpError, QmpProtocolError, QmpTimeoutError, type QmpClient, type QmpEvent } from 'qapi-ts-runtime';
import { CliExit } from './io.js';
import { checkRequest } from './qmp-request.js';
import type { CallSchema } from './qmp-schema.js';
import { complete } from './shell-complete.js';
import { helpText } from './shell-help.js';
import { HISTORY_SIZE, type HistoryFile } from './shell-history.js';
import { readLine, ShellInputError } from './shell-line.js';

export const PROMPT = 'qmp> ';

export interface SessionOptions {
  readonly client: QmpClient;
  readonly schema: CallSchema;
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** Whether input and output are a terminal (prompt, line editing, completion, history). */
  readonly terminal: boolean;
  /** Where history is kept between sessions; undefined: in memory only. */
  readonly history: HistoryFile | undefined;
  /** Ends the session (SIGINT/SIGTERM from outside). */
  readonly signal: AbortSignal;
  /** Said once at the start (what is connected, what the schema is). */
  readonly banner: string;
  /** Given, once, the way to print between prompts (for a started QEMU's stderr). */
  readonly onPrinter?: (print: (text: string) => void) => void;
}

/** How a session ended: input ended (Ctrl-D, `exit`, a pipe's end), QEMU quit when told, SIGINT/SIGTERM, or the connection was lost. */
export type SessionEnd = { readonly how: 'input-ended' | 'quit' | 'interrupted' } | { readonly how: 'connection-lost'; readonly error: QmpConnectionError };

/** Writes between prompts without garbling the line being typed. */
class Screen {
  /** Whether the prompt and the line being typed are on screen. */
  prompting = false;

  constructor(
    private readonly rl: Interface,
    private readonly output: NodeJS.WritableStream,
    private readonly terminal: boolean,
  ) {}

  /** Prints `text` (whole lines) above the prompt, which is drawn again after it. */
  print(text: string): void {
    const block = text.endsWith('\n') ? text : `${text}\n`;
    if (!this.terminal || !this.prompting) {
      this.output.write(block);
      return;
    }
    // Up to the prompt's row (the cursor may be on a later row of a long line), and clear from there.
    moveCursor(this.output, 0, -this.rl.getCursorPos().rows);
    cursorTo(this.output, 0);
    clearScreenDown(this.output);
    // readline redraws the prompt from as many rows above the cursor as the
    // cursor stood below the prompt when it last drew it: that many rows are
    // made below the text, so that the text stays.  It keeps that number as
    // `prevRows` (read only, where it is; a line typed in one piece can
    // leave it behind the cursor's row).
    const redrawnFrom = (this.rl as unknown as { prevRows?: unknown }).prevRows;
    this.output.write(block + '\n'.repeat(typeof redrawnFrom === 'number' ? redrawnFrom : this.rl.getCursorPos().rows));
    this.rl.prompt(true);
  }

  prompt(): void {
    if (!this.terminal) return;
    this.prompting = true;
    this.rl.prompt();
  }
}

function describeEvent(event: QmpEvent): string {
  return `event ${event.event}${event.data === undefined ? '' : ` ${stringify(event.data) ?? ''}`}`;
}

function describeResult(value: unknown): string | undefined {
  return value === undefined ? undefined : (stringify(value, null, 2) ?? 'null');
}

export function runSession(options: SessionOptions): Promise<SessionEnd> {
  const { client, schema } = options;
  const rl = createInterface({
    input: options.input,
    output: options.output,
    terminal: options.terminal,
    prompt: PROMPT,
    completer: (line: string) => complete(schema, line),
    history: options.history?.load() ?? [],
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
    tabSize: 4,
  });
  const screen = new Screen(rl, options.output, options.terminal);
  return new Promise<SessionEnd>((resolve, reject) => {
    const queue: string[] = [];
    let working = false;
    let inputEnded = false;
    let lastCommand: string | undefined;
    let end: SessionEnd | undefined;

    /** Ends the session: as `how` says, or failing with `error` (a bug: the CLI reports it as one). */
    const finish = (how: SessionEnd, error?: unknown): void => {
      if (end !== undefined) return;
      end = how;
      // What comes next (the shell's last words, the shell's caller) starts on a line of its own.
      if (screen.prompting) options.output.write('\n');
      screen.prompting = false;
      client.off('*', onEvent);
      unsubscribe();
      options.signal.removeEventListener('abort', onAbort);
      rl.close();
      if (error === undefined) resolve(how);
      else reject(error);
    };
    const onEvent = (event: QmpEvent): void => screen.print(describeEvent(event));
    const unsubscribe = client.onClose((e) => {
      finish(lastCommand === 'quit' ? { how: 'quit' } : { how: 'connection-lost', error: e });
    });
    const onAbort = (): void => finish({ how: 'interrupted' });

    /** Runs one line; false when the session is to end. */
    const handle = async (line: string): Promise<boolean> => {
      let input;
      try {
        input = readLine(line, schema.model);
      } catch (e) {
        if (!(e instanceof ShellInputError)) throw e;
        screen.print(`qapi-ts: ${e.message}; nothing was sent`);
        return true;
      }
      switch (input.kind) {
        case 'empty':
          return true;
        case 'exit':
          return false;
        case 'help':
          screen.print(helpText(schema, input.topic));
          return true;
        case 'call':
          break;
      }
      let request;
      try {
        request = checkRequest(schema.registry, input.command, input.args, { ...schema, waitJob: false });
      } catch (e) {
        if (!(e instanceof CliExit)) throw e;
        screen.print(e.message);
        return true;
      }
      lastCommand = request.command;
      const oob = request.info.oob && client.capabilities.includes('oob');
      try {
        const value = await client.execute(request.command, request.args, { noReply: request.info.noReply, ...(oob ? { oob } : {}) });
        const text = describeResult(value);
        if (text !== undefined) screen.print(text);
      } catch (e) {
        if (e instanceof QmpError) screen.print(`${e.errorClass}: ${e.desc}`);
        else if (e instanceof QmpTimeoutError || e instanceof QmpProtocolError) screen.print(`qapi-ts: ${e.message}`);
        else if (!(e instanceof QmpConnectionError)) throw e;
        // A lost connection ends the session (onClose says so).
      }
      return true;
    };

    const work = async (): Promise<void> => {
      if (working) return;
      working = true;
      screen.prompting = false;
      rl.pause();
      while (queue.length > 0 && end === undefined) {
        const go = await handle(queue.shift()!);
        if (!go) return finish({ how: 'input-ended' });
      }
      working = false;
      if (end !== undefined) return;
      if (inputEnded) return finish({ how: 'input-ended' });
      rl.resume();
      screen.prompt();
    };

    rl.on('line', (line: string) => {
      queue.push(line);
      work().catch((e: unknown) => finish({ how: 'input-ended' }, e));
    });
    rl.on('history', (lines: string[]) => options.history?.save(lines));
    rl.on('SIGINT', () => {
      // Ctrl-C drops the line being typed, as in a shell; Ctrl-D or `exit` leaves.
      if (rl.line === '') screen.print('(Ctrl-D or exit to leave)');
      else {
        options.output.write('^C\n');
        rl.write(null, { ctrl: true, name: 'e' });
        rl.write(null, { ctrl: true, name: 'u' });
        screen.prompt();
      }
    });
    rl.on('close', () => {
      inputEnded = true;
      if (!working) finish({ how: 'input-ended' });
    });
    client.on('*', onEvent);
    options.onPrinter?.((text) => screen.print(text));
    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener('abort', onAbort, { once: true });
    screen.print(options.banner);
    screen.prompt();
  });
}
