import type { AnyStateMachine, AnyStateNode } from 'xstate';

/** A machine's top-level states and the arrows between them, for drawing. */
export interface InspectorGraph {
  readonly initial: string | undefined;
  readonly states: readonly { readonly id: string; readonly description: string }[];
  readonly edges: readonly {
    readonly source: string;
    readonly target: string;
    readonly label: string;
  }[];
}

function label(eventType: string): string {
  if (eventType === '') return 'always';
  if (eventType.startsWith('xstate.after.')) return 'timer';
  if (eventType.startsWith('xstate.done.actor.')) return 'done';
  if (eventType.startsWith('xstate.error.actor.')) return 'error';
  return eventType;
}

/** Builds the drawing data of a machine: one edge per (source, target), events joined. */
export function inspectorGraph(machine: AnyStateMachine): InspectorGraph {
  const root = machine.root as AnyStateNode;
  const edges = new Map<string, { source: string; target: string; labels: Set<string> }>();
  const states = Object.values(root.states) as AnyStateNode[];
  for (const node of states) {
    for (const t of [...[...node.transitions.values()].flat(), ...(node.always ?? [])]) {
      for (const target of t.target ?? []) {
        if (target.key === node.key) continue;
        const key = `${node.key}->${target.key}`;
        const edge = edges.get(key) ?? {
          source: node.key,
          target: target.key,
          labels: new Set<string>(),
        };
        edge.labels.add(label(t.eventType));
        edges.set(key, edge);
      }
    }
  }
  return {
    initial: root.initial?.target?.[0]?.key,
    states: states.map((n) => ({ id: n.key, description: n.description ?? '' })),
    edges: [...edges.values()].map((e) => ({
      source: e.source,
      target: e.target,
      label: [...e.labels].join(', '),
    })),
  };
}
