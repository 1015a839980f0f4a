/**
 * A position in a schema file, as the grammar records it: file, line and
 * column as QEMU reports them (see line-map.ts), and the offset in the
 * file's text.
 */
import type { SourceLocation } from './diagnostics.js';

export interface Loc extends SourceLocation {
  readonly offset: number;
}
