export interface PathNode {
  id: string;
  /** Minutes; a task without an estimate weighs nothing. */
  weight: number;
}

export interface Edge {
  blocker: string;
  blocked: string;
}

/**
 * The heaviest chain through a dependency graph (a DAG: links that would close a cycle are
 * refused on write): each node's weight plus the heaviest chain of blockers before it, in
 * topological order. Ties go to the node listed first, so the answer is stable.
 */
export function criticalPath(nodes: PathNode[], edges: Edge[]): { ids: string[]; total: number } {
  const order = new Map(nodes.map((node, i) => [node.id, i]));
  const blockers = new Map<string, string[]>();
  const blocking = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  for (const node of nodes) waiting.set(node.id, 0);
  for (const { blocker, blocked } of edges) {
    if (!order.has(blocker) || !order.has(blocked)) continue;
    const before = blockers.get(blocked);
    if (before) before.push(blocker);
    else blockers.set(blocked, [blocker]);
    const after = blocking.get(blocker);
    if (after) after.push(blocked);
    else blocking.set(blocker, [blocked]);
    waiting.set(blocked, (waiting.get(blocked) ?? 0) + 1);
  }
  const weight = new Map(nodes.map((node) => [node.id, Math.max(0, node.weight)]));
  const best = new Map<string, { total: number; via: string | null }>();
  const ready = nodes.filter((node) => waiting.get(node.id) === 0).map((node) => node.id);
  let visited = 0;
  // A queue read by index: shifting an array would make the walk quadratic.
  while (visited < ready.length) {
    const id = ready[visited] as string;
    visited++;
    let via: string | null = null;
    let before = 0;
    for (const blocker of blockers.get(id) ?? []) {
      const candidate = best.get(blocker)?.total ?? 0;
      if (
        via === null ||
        candidate > before ||
        (candidate === before && (order.get(blocker) ?? 0) < (order.get(via) ?? 0))
      ) {
        via = blocker;
        before = candidate;
      }
    }
    best.set(id, { total: before + (weight.get(id) ?? 0), via });
    for (const next of blocking.get(id) ?? []) {
      const left = (waiting.get(next) ?? 0) - 1;
      waiting.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (visited !== nodes.length) throw new Error('the dependency graph has a cycle');
  let end: string | null = null;
  for (const node of nodes) {
    const total = best.get(node.id)?.total ?? 0;
    if (end === null || total > (best.get(end)?.total ?? 0)) end = node.id;
  }
  const ids: string[] = [];
  for (let id = end; id !== null; id = best.get(id)?.via ?? null) ids.unshift(id);
  return { ids, total: end === null ? 0 : (best.get(end)?.total ?? 0) };
}
