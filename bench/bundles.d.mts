/** The programs bench/bundles.mjs writes. */
export declare const CONSUMERS: readonly ['client', 'one', 'all', 'class'];
export declare function commandFunctions(dir: string): string[];
export declare function writeConsumers(dir: string, bindings?: string): void;
export declare function bundle(entry: string): Promise<{ size: number; text: string }>;
