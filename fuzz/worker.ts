/**
 * A fuzz pool child: runs the qapi-ts command line in-process, once per
 * job, in the job's directory (so that messages name files the way QEMU's
 * test driver does: relative to the schema's directory).
 */
import { createHash } from 'node:crypto';
import { runCli } from '../generator/cli/program.js';

export interface CliJob {
  /** The directory to run in. */
  readonly dir: string;
  readonly args: readonly string[];
}

export interface CliAnswer {
  readonly code: number;
  /** stderr, cut to its first 16 MiB. */
  readonly stderr: string;
  /** The run's own time, in milliseconds. */
  readonly ms: number;
  readonly stdoutBytes: number;
  readonly stdoutHash: string;
}

// Enough for any message about a huge input (a message may quote a
// name megabytes long); the bound only keeps a runaway writer in check.
const STDERR_KEPT = 16 * 2 ** 20;

async function runJob(job: CliJob): Promise<CliAnswer> {
  process.chdir(job.dir);
  const started = performance.now();
  const hash = createHash('sha1');
  let stdoutBytes = 0;
  let stderr = '';
  const code = await runCli(job.args, {
    stdout: (text) => {
      stdoutBytes += Buffer.byteLength(text);
      hash.update(text);
    },
    stderr: (text) => {
      if (stderr.length < STDERR_KEPT) stderr = (stderr + text).slice(0, STDERR_KEPT);
    },
  });
  return { code, stderr, stdoutBytes, stdoutHash: hash.digest('hex'), ms: performance.now() - started };
}

process.on('message', (message: { id: number; job: CliJob }) => {
  void runJob(message.job).then((result) => process.send!({ id: message.id, result }));
});
process.send!({ ready: true });
