/**
 * What stops launched QEMUs when the program itself ends, so that none
 * outlives it and no private directory stays behind:
 *
 * - on process 'exit' (a normal end, `process.exit()`, an uncaught
 *   exception), every QEMU still running is killed and its directory
 *   removed, synchronously, as 'exit' requires;
 * - on SIGINT or SIGTERM, for the QEMUs whose launch asked for it, each is
 *   stopped the orderly way (its own close), then the signal is raised
 *   again so the process ends as it would have; a second signal meanwhile
 *   kills them at once.  Node runs no 'exit' hook when a signal ends the
 *   process, hence the opt-in.
 *
 * The hooks are installed while a QEMU they cover runs, and removed after.
 */
import { rmSync } from 'node:fs';

/** One running QEMU, as the reaper sees it. */
export interface Reapable {
  /** Kills the process at once (SIGKILL), synchronously. */
  kill(): void;
  /** The private directory to remove. */
  readonly directory: string;
  /** Stops it the orderly way (quit, SIGTERM, SIGKILL), bounded. */
  stop(): Promise<unknown>;
  /** Whether SIGINT/SIGTERM stop it (else only the 'exit' hook covers it). */
  readonly onSignals: boolean;
}

const running = new Set<Reapable>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
type HandledSignal = (typeof SIGNALS)[number];
let signalled: HandledSignal | undefined;

function killNow(each: Reapable): void {
  try {
    each.kill();
  } finally {
    rmSync(each.directory, { recursive: true, force: true });
  }
}

function onExit(): void {
  for (const each of running) killNow(each);
  running.clear();
}

function onSignal(signal: HandledSignal): void {
  const covered = [...running].filter((r) => r.onSignals);
  if (signalled !== undefined) {
    // Asked twice: no more waiting.
    for (const each of covered) killNow(each);
    return;
  }
  signalled = signal;
  void Promise.allSettled(covered.map((r) => r.stop())).then(() => {
    signalled = undefined;
    unhookSignals();
    // The process ends by the signal, as it would have without us, unless
    // the program listens for it itself; QEMUs that did not ask to be
    // stopped on signals would outlive it, so they are killed first.
    if (process.listenerCount(signal) > 0) return;
    onExit();
    process.off('exit', onExit);
    process.kill(process.pid, signal);
  });
}

const handlers: Record<HandledSignal, () => void> = {
  SIGINT: () => onSignal('SIGINT'),
  SIGTERM: () => onSignal('SIGTERM'),
};

function hookSignals(): void {
  for (const s of SIGNALS) if (!process.listeners(s).includes(handlers[s])) process.on(s, handlers[s]);
}

function unhookSignals(): void {
  for (const s of SIGNALS) process.off(s, handlers[s]);
}

export function track(each: Reapable): void {
  if (running.size === 0) process.on('exit', onExit);
  running.add(each);
  if (each.onSignals) hookSignals();
}

export function untrack(each: Reapable): void {
  if (!running.delete(each)) return;
  if (running.size === 0) process.off('exit', onExit);
  // While a signal is being handled the hooks stay: a second one must still find them.
  if (signalled === undefined && ![...running].some((r) => r.onSignals)) unhookSignals();
}
