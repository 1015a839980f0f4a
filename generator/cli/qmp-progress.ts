/**
 * How `qapi-ts qmp --wait-job` shows a job's progress on stderr: a live bar
 * (cli-progress) when stderr is a terminal, else one `progress OFFSET/LEN`
 * line whenever the numbers change (exact, also beyond 2^53), once the
 * job's length is known.  The bar is erased when the job ends, so that the
 * line saying how it ended is the last thing on screen.
 */
import type { BlockJobProgress } from 'qapi-ts-runtime';
import type { CliIo } from './io.js';

export interface ProgressView {
  update(progress: BlockJobProgress): void;
  /** Ends the view: a bar is erased and the cursor shown again. */
  stop(): void;
}

function plainView(io: CliIo): ProgressView {
  let last = '';
  return {
    update(p) {
      const line = `progress ${p.offset}/${p.len}`;
      // Status changes alone (no numbers yet) are not progress.
      if (line === last || (Number(p.len) === 0 && Number(p.offset) === 0)) return;
      last = line;
      io.stderr(`${line}\n`);
    },
    stop() {},
  };
}

async function barView(terminal: NodeJS.WritableStream, jobId: string): Promise<ProgressView> {
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar(
    {
      stream: terminal,
      format: `job ${jobId.replace(/[{}]/g, '')} [{bar}] {percentage}% | {done}/{size} bytes | {status}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      // The bar itself needs no precision beyond 2^53; the numbers shown are exact.
      const total = Math.max(Number(p.len), 1);
      const payload = { done: String(p.offset), size: String(p.len), status: p.status ?? 'running' };
      if (!started) {
        started = true;
        bar.start(total, Number(p.offset), payload);
        return;
      }
      bar.setTotal(total);
      bar.update(Number(p.offset), payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export function progressView(io: CliIo, jobId: string): Promise<ProgressView> {
  return io.stderrTerminal ? barView(io.stderrTerminal, jobId) : Promise.resolve(plainView(io));
}
