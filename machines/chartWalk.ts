import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

/** One transition of a chart's top level, as drawings need it. */
export interface ChartTransition {
  readonly source: string;
  /** The target state, or the source itself for a transition that only runs actions. */
  readonly target: string;
  /** `always`, `after <delay>`, `done`, `error`, or the event type. */
  readonly event: string;
  /** Whether the event is a timer (`after`). */
  readonly timer: boolean;
  /** The guard's name (`a and b` for combined guards), if any. */
  readonly guard: string | undefined;
}

/** A chart's top level: its initial state, its states and every transition, in definition order. */
export interface ChartWalk {
  readonly initial: string | undefined;
  readonly states: readonly { readonly key: string; readonly description: string }[];
  readonly transitions: readonly ChartTransition[];
}

function eventOf(t: AnyTransitionDefinition): string {
  if (t.eventType === '') return 'always';
  if (t.eventType.startsWith('xstate.after.')) return `after ${t.eventType.split('.')[2] ?? ''}`;
  if (t.eventType.startsWith('xstate.done.actor.')) return 'done';
  if (t.eventType.startsWith('xstate.error.actor.')) return 'error';
  return t.eventType;
}

function guardName(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  // `and([...])` and friends are functions carrying the guards they combine.
  const combined = (guard as { guards?: unknown[] } | undefined)?.guards;
  if (typeof guard === 'function' && Array.isArray(combined))
    return combined.map(guardName).join(' and ');
  return (guard as { type?: string } | undefined)?.type ?? 'guard';
}

/**
 * Walks a machine's top-level states once: the one reading of `machine.root` behind the
 * Mermaid diagram and the inspector's chart, so that both always draw the same machine.
 */
export function walkChart(machine: AnyStateMachine): ChartWalk {
  const root = machine.root as AnyStateNode;
  const nodes = Object.values(root.states) as AnyStateNode[];
  const transitions: ChartTransition[] = [];
  for (const node of nodes) {
    for (const t of [...[...node.transitions.values()].flat(), ...(node.always ?? [])]) {
      const targets = t.target?.length ? t.target.map((n) => n.key) : [node.key];
      for (const target of targets) {
        transitions.push({
          source: node.key,
          target,
          event: eventOf(t),
          timer: t.eventType.startsWith('xstate.after.'),
          guard: t.guard ? guardName(t.guard) : undefined,
        });
      }
    }
  }
  return {
    initial: root.initial?.target?.[0]?.key,
    states: nodes.map((n) => ({ key: n.key, description: n.description ?? '' })),
    transitions,
  };
}
