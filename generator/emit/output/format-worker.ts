/** A worker thread of format-pool: prints and formats the files it is given. */
import { parentPort, workerData } from 'node:worker_threads';
import { printFile } from './printer.js';
import type { FileSyntax } from '../syntax/statements.js';

const files = workerData as FileSyntax[];
const texts: string[] = [];
for (const f of files) texts.push(await printFile(f));
parentPort?.postMessage(texts);
