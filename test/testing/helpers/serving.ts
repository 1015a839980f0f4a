/**
 * The serving verbs (`fake-qemu`, `record`) as their users run them: the
 * built CLI as a process of its own, ready once it says where it listens,
 * stopped by a signal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI_ENTRY } from '../../helpers/cli.js';

export interface Serving {
  readonly child: ChildProcess;
  /** Where it listens, as it printed it. */
  readonly address: string;
  stdout(): string;
  stderr(): string;
  /** Sends the signal; resolves with the exit code once it exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `qapi-ts ARGS`; resolves once it printed `listening on ...`, rejects if it exits first. */
export function startServing(args: readonly string[]): Promise<Serving> {
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise<Serving>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const address = /listening on (\S+?),?\s/.exec(stdout)?.[1];
      if (address !== undefined) {
        resolve({
          child,
          address,
          stdout: () => stdout,
          stderr: () => stderr,
          stop: (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`qapi-ts ${args.join(' ')} exited ${code} before listening: ${stderr}`)));
  });
}
