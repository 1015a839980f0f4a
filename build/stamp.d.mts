/** The folders (relative to the project root) whose sources the hash covers. */
export declare const SOURCE_DIRS: readonly string[];
/** The files at the project root the hash covers. */
export declare const SOURCE_FILES: readonly string[];
/** Folder names the hash leaves out wherever they are (installed packages, build output). */
export declare const SKIPPED_DIRS: ReadonlySet<string>;
/** The folders the build writes (relative to the project root), each of which gets the stamp. */
export declare const BUILT_DIRS: readonly string[];
/** The stamp's file name inside a built folder. */
export declare const STAMP_NAME: string;
/** A hash over the path and content of every source file under `root`, in a fixed order. */
export declare function sourceHash(root: string): string;
/** The hash recorded in `builtDir`'s stamp, or undefined where there is none. */
export declare function readStamp(builtDir: string): string | undefined;
/** The built folders (relative to `root`) whose stamp is not `sources` (by default the hash of `root`'s sources): missing, or of other sources. */
export declare function staleBuilds(root: string, sources?: string): string[];
