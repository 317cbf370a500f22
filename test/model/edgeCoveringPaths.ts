import type { AnyStateMachine, EventObject } from 'xstate';
import { getAdjacencyMap, getShortestPaths } from 'xstate/graph';

/** How a model's graph is walked: its input, the events each state takes, a state's identity. */
export interface ModelGraph<E extends EventObject> {
  readonly input?: unknown;
  readonly events: (state: never) => readonly E[];
  readonly serializeState: (state: never) => string;
}

/**
 * Paths that together take every edge of a model: for each model state, its shortest path
 * plus each event it handles; paths that are a prefix of another are dropped, and so are
 * repeats. The model-based suites (OTP and password) replay these against the real session.
 */
export function edgeCoveringPaths<E extends EventObject>(
  model: AnyStateMachine,
  graph: ModelGraph<E>,
): E[][] {
  // biome-ignore lint/suspicious/noExplicitAny: the graph utilities' option types are loose
  const options = graph as any;
  const adjacency = getAdjacencyMap(model, options);
  const shortest = getShortestPaths(model, options);
  const toNode = new Map(
    shortest.map((p) => [
      graph.serializeState(p.state as never),
      p.steps.map((s) => s.event as E).filter((e) => e.type !== 'xstate.init'),
    ]),
  );
  const paths: E[][] = [];
  for (const [key, { transitions }] of Object.entries(adjacency))
    for (const edge of Object.values(transitions) as { event: E }[])
      paths.push([...(toNode.get(key) ?? []), edge.event]);
  const names = paths.map((p) => p.map((e) => e.type).join(' '));
  return paths.filter(
    (_, i) =>
      !names.some((other, j) => j !== i && other.startsWith(`${names[i]} `)) &&
      names.indexOf(names[i] ?? '') === i,
  );
}
