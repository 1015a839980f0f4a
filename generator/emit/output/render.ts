/**
 * From statements to the files written: each file printed for the target
 * (TypeScript, or JavaScript with declarations beside it), after its
 * header.  Printing is the layout engine's (print-file.ts): the text is in
 * prettier's shape already, so nothing formats it afterwards.
 */
import type { OutputTarget } from '../../settings/table.js';
import type { FileSyntax } from '../syntax/statements.js';
import type { GeneratedFile } from './generated-file.js';
import type { Target } from './layout-code.js';
import { printFile, PRINT_WIDTH, type PrintedStatements } from './print-file.js';

export interface RenderOptions {
  readonly header: (file: FileSyntax) => string;
  readonly target: OutputTarget;
  /** What printing each statement gave before, for statements printed
   *  again (emit/kept.ts). */
  readonly printed?: PrintedStatements | undefined;
}

export function renderFiles(files: readonly FileSyntax[], options: RenderOptions): GeneratedFile[] {
  const out: GeneratedFile[] = [];
  for (const file of files) {
    const header = options.header(file);
    // A blank line after the header, unless nothing follows it (the
    // JavaScript of a module that declares only types).
    const content = (target: Target): string => {
      const body = printFile(file, target, PRINT_WIDTH, options.printed);
      return body === '' ? header : `${header}\n${body}`;
    };
    if (options.target === 'ts') {
      out.push({ path: `${file.stem}.ts`, content: content('ts') });
    } else {
      out.push({ path: `${file.stem}.js`, content: content('js') });
      out.push({ path: `${file.stem}.d.ts`, content: content('dts') });
    }
  }
  return out;
}
