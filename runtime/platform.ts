/**
 * What the runtime needs of the platform, written as the shapes it uses, so
 * that its declaration files name no type of Node.js: a consumer compiles
 * against them without `@types/node` (or with the DOM's types instead).
 * Node's `AbortSignal`, `net.Socket` and any `stream.Duplex` fit these
 * shapes, as does the DOM's `AbortSignal`.
 */

/** An AbortSignal, as far as the runtime reads it. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * The byte stream a client runs on, as far as the client uses it: a
 * connected `net.Socket`, or any duplex stream that yields bytes (or text)
 * and accepts text.
 */
export interface ByteStream {
  on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  once(event: 'close', listener: () => void): unknown;
  write(data: string, callback?: (error?: Error | null) => void): unknown;
  end(): unknown;
  destroy(): unknown;
  readonly destroyed: boolean;
}
