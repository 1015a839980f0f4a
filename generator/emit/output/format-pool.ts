/**
 * Formats files, in worker threads when there is enough work to pay for
 * starting them (each worker loads ts-morph and prettier itself).  Work is
 * split by size, largest first, so the workers finish together.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileSyntax } from '../syntax/statements.js';

/** Below this much structure (bytes of JSON) one thread is faster. */
const PARALLEL_THRESHOLD = 400_000;
const MAX_WORKERS = 4;

export async function formatAll(files: readonly FileSyntax[], useWorkers: boolean): Promise<string[]> {
  const sizes = files.map((f) => JSON.stringify(f.statements).length);
  const total = sizes.reduce((a, b) => a + b, 0);
  const workerFile = fileURLToPath(new URL('./format-worker.js', import.meta.url));
  const threads = Math.min(MAX_WORKERS, availableParallelism());
  // From the TypeScript sources (tests) there is no compiled worker to start.
  if (!useWorkers || threads < 2 || total < PARALLEL_THRESHOLD || !existsSync(workerFile)) {
    const { printFile } = await import('./printer.js');
    const out: string[] = [];
    for (const f of files) out.push(await printFile(f));
    return out;
  }
  const shares: number[][] = Array.from({ length: threads }, () => []);
  const loads = new Array<number>(threads).fill(0);
  const order = files.map((_, i) => i).sort((a, b) => (sizes[b] ?? 0) - (sizes[a] ?? 0));
  for (const i of order) {
    const least = loads.indexOf(Math.min(...loads));
    shares[least]?.push(i);
    loads[least] = (loads[least] ?? 0) + (sizes[i] ?? 0);
  }
  const out = new Array<string>(files.length);
  await Promise.all(
    shares
      .filter((share) => share.length > 0)
      .map(async (share) => {
        const texts = await runWorker(
          workerFile,
          share.map((i) => files[i] as FileSyntax),
        );
        share.forEach((fileIndex, j) => {
          out[fileIndex] = texts[j] ?? '';
        });
      }),
  );
  return out;
}

function runWorker(file: string, files: FileSyntax[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { workerData: files });
    worker.once('message', (texts: string[]) => {
      resolve(texts);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`qapi-ts: format worker exited with code ${code}`));
    });
  });
}
