import type { AnyStateMachine } from 'xstate';
import { walkChart } from '../../machines/chartWalk.js';

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

/** Builds the drawing data of a machine: one edge per (source, target), events joined. */
export function inspectorGraph(machine: AnyStateMachine): InspectorGraph {
  const chart = walkChart(machine);
  const edges = new Map<string, { source: string; target: string; labels: Set<string> }>();
  for (const t of chart.transitions) {
    if (t.target === t.source) continue;
    const key = `${t.source}->${t.target}`;
    const edge = edges.get(key) ?? { source: t.source, target: t.target, labels: new Set() };
    edge.labels.add(t.timer ? 'timer' : t.event);
    edges.set(key, edge);
  }
  return {
    initial: chart.initial,
    states: chart.states.map((n) => ({ id: n.key, description: n.description })),
    edges: [...edges.values()].map((e) => ({
      source: e.source,
      target: e.target,
      label: [...e.labels].join(', '),
    })),
  };
}
