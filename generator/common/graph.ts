/**
 * Strongly connected components of a directed graph (Tarjan's algorithm),
 * without recursion, so that a long chain of references (a schema's types,
 * a tree's imports) cannot exhaust the stack.
 */

/**
 * Calls `onComponent` with each strongly connected component of the graph
 * reachable from `roots` along `next`, each after every component it
 * reaches: a component's successors are always reported first.
 */
export function forEachComponent<T>(roots: Iterable<T>, next: (node: T) => readonly T[], onComponent: (members: T[]) => void): void {
  const index = new Map<T, number>();
  const low = new Map<T, number>();
  const onStack = new Set<T>();
  const stack: T[] = [];
  let counter = 0;
  const frames: { node: T; next: readonly T[]; i: number }[] = [];
  const enter = (node: T): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    frames.push({ node, next: next(node), i: 0 });
  };
  for (const root of roots) {
    if (index.has(root)) continue;
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      if (frame.i < frame.next.length) {
        const w = frame.next[frame.i++]!;
        if (!index.has(w)) enter(w);
        else if (onStack.has(w)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const members: T[] = [];
      let w: T;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        members.push(w);
      } while (w !== frame.node);
      onComponent(members);
    }
  }
}
