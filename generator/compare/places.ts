/**
 * Where a comparison's findings sit, as a client meets them: from a command
 * or event, by which path, and whether it sends or reads what is there.
 */
import type { Node, Polarity, Root } from './compare.js';

/** A node as reached from one root: by which path first, for each way the
 *  client meets it (a type can be both sent and read by the same command). */
export interface Place {
  readonly node: Node;
  /** The first path, whatever the polarity. */
  readonly path: string;
  /** The first path with each polarity it is reached with. */
  readonly paths: ReadonlyMap<Polarity, string>;
}

/** The root itself (path '', no polarity) and every node below it, breadth first. */
export function placesOf(root: Root): Place[] {
  const places = new Map<Node, Map<Polarity, string>>([[root, new Map()]]);
  const first = new Map<Node, string>([[root, '']]);
  const queue: [Node, string, Polarity][] = root.children.map((c) => [c.node, c.label, c.label.startsWith('arguments') ? 'input' : 'output']);
  for (let i = 0; i < queue.length; i++) {
    const [node, path, polarity] = queue[i]!;
    let paths = places.get(node);
    if (!paths) {
      places.set(node, (paths = new Map()));
      first.set(node, path);
    }
    if (paths.has(polarity)) continue;
    paths.set(polarity, path);
    for (const c of node.children) queue.push([c.node, `${path}${c.label}`, polarity]);
  }
  return [...places].map(([node, paths]) => ({ node, path: first.get(node)!, paths }));
}
