/**
 * `--format`: the output run through the user's own prettier, with the
 * configuration prettier finds for each output file (a .prettierrc above
 * the output directory, say).  Without it the output is already in
 * prettier's shape under qapi-ts's fixed options; this is for projects
 * whose style differs.  prettier is the user's: loaded only here, and only
 * when asked for.
 */
import { resolve } from 'node:path';
import type { GeneratedFile } from '../../emit/output/generated-file.js';

/** prettier is missing, or refused a file. */
export class FormatError extends Error {
  override readonly name = 'FormatError';
}

export async function formatOutput(files: readonly GeneratedFile[], outputDir: string): Promise<GeneratedFile[]> {
  let prettier: typeof import('prettier');
  try {
    prettier = await import('prettier');
  } catch {
    throw new FormatError('--format runs prettier, which is not installed here: npm install --save-dev prettier');
  }
  const out: GeneratedFile[] = [];
  for (const f of files) {
    const filepath = resolve(outputDir, f.path);
    try {
      const config = (await prettier.resolveConfig(filepath)) ?? {};
      out.push({ path: f.path, content: await prettier.format(f.content, { ...config, filepath }) });
    } catch (e) {
      throw new FormatError(`--format: prettier failed on ${f.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out;
}
