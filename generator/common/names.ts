/**
 * Names as QEMU's generated C code spells them: what clash checks compare.
 */

/** Maps a QAPI name to the identifier QEMU's C code would use for it
 *  (without protecting reserved words). */
export function cName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}
