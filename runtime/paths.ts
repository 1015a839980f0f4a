/** How the runtime names a place inside a value in its messages. */

/** The path of member `name` of the value at `path`: `.name`, or
 *  `["name"]` when the name is no identifier. */
export function child(path: string, name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}
