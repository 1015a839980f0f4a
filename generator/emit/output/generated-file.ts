/** One output file as written: what generation produces and writing takes. */
export interface GeneratedFile {
  /** Path relative to the output directory, e.g. `block-core.ts`. */
  readonly path: string;
  readonly content: string;
}
