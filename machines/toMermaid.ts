import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

function eventLabel(t: AnyTransitionDefinition): string {
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

function guardLabel(t: AnyTransitionDefinition): string {
  return t.guard ? ` [${guardName(t.guard)}]` : '';
}

/**
 * Renders a machine's top-level states and transitions as a Mermaid `stateDiagram-v2`, one
 * line per transition with its event and guard, in definition order (stable for diffs).
 *
 * @example
 * ```ts
 * console.log(toMermaidStateDiagram(gstrSessionMachine));
 * ```
 */
export function toMermaidStateDiagram(machine: AnyStateMachine): string {
  const lines = ['stateDiagram-v2'];
  const root = machine.root as AnyStateNode;
  const initial = root.initial?.target?.[0]?.key;
  if (initial) lines.push(`  [*] --> ${initial}`);
  for (const node of Object.values(root.states) as AnyStateNode[]) {
    const transitions = [...[...node.transitions.values()].flat(), ...(node.always ?? [])];
    for (const t of transitions) {
      const targets = t.target?.length ? t.target.map((n) => n.key) : [node.key];
      for (const target of targets)
        lines.push(`  ${node.key} --> ${target} : ${eventLabel(t)}${guardLabel(t)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
