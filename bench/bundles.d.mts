/** The programs bench/bundles.mjs writes. */
export declare const CONSUMERS: readonly ['client', 'one', 'standard', 'all', 'class', 'job', 'registry', 'only-registry', 'readme', 'only-readme'];
/** What the `--only` build the programs use keeps. */
export declare const JOB_ONLY: readonly string[];
export declare function commandFunctions(dir: string): string[];
export declare function writeConsumers(dir: string, bindings?: string, only?: string): void;
export declare function bundle(entry: string): Promise<{ size: number; text: string }>;
