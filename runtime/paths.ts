/** How the runtime names a place inside a value in its messages. */

/** The path of member `name` of the value at `path`: `.name`, or
 *  `["name"]` when the name is no identifier. */
export function child(path: string, name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

/** One step of a path: a member's name, or an element's index. */
export type PathStep = string | number;

const STEPS = /\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;

/**
 * The steps of a path written by `child` and indexing, after its `root`:
 * `arguments["job-id"]` is `['job-id']`, `arguments.files[2].name` is
 * `['files', 2, 'name']`.  The reverse of the writing above, kept beside
 * it: a path it did not write is an error.
 */
export function pathSteps(path: string, root: string): PathStep[] {
  if (!path.startsWith(root)) throw new Error(`path '${path}' does not start at '${root}'`);
  const steps: PathStep[] = [];
  STEPS.lastIndex = root.length;
  while (STEPS.lastIndex < path.length) {
    const at = STEPS.lastIndex;
    const m = STEPS.exec(path);
    if (m === null) throw new Error(`path '${path}': no step at offset ${at}`);
    steps.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]!) as string)));
  }
  return steps;
}
