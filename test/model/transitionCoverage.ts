import type {
  AnyStateMachine,
  AnyStateNode,
  AnyTransitionDefinition,
  InspectionEvent,
} from 'xstate';

/** Every transition a machine defines (events, delays, actor results, eventless), by object. */
export function allTransitions(machine: AnyStateMachine): AnyTransitionDefinition[] {
  const out: AnyTransitionDefinition[] = [];
  const visit = (node: AnyStateNode): void => {
    for (const list of node.transitions.values()) out.push(...list);
    out.push(...(node.always ?? []));
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root);
  return out;
}

/** A readable name for a transition: source, event, which of its branches, targets. */
export function describeTransition(
  t: AnyTransitionDefinition,
  all: readonly AnyTransitionDefinition[],
): string {
  const siblings = all.filter((o) => o.source === t.source && o.eventType === t.eventType);
  const branch = siblings.length > 1 ? `#${siblings.indexOf(t) + 1}` : '';
  const targets = t.target?.map((n) => n.key).join(',') ?? '(stay)';
  const event =
    t.eventType === '' ? 'always' : t.eventType.replace(/\.\d+\.gstrSession\.[a-zA-Z]+$/, '');
  return `${t.source.key} --${event}${branch}--> ${targets}`;
}

/** Collects the transitions actors actually take, from XState's microstep inspection events. */
export function createTransitionRecorder(): {
  taken: Set<AnyTransitionDefinition>;
  observe: (event: InspectionEvent) => void;
} {
  const taken = new Set<AnyTransitionDefinition>();
  return {
    taken,
    observe: (event) => {
      if (event.type === '@xstate.microstep') for (const t of event._transitions) taken.add(t);
    },
  };
}

/** The names of a transition's guards (`and`/`not` unwrapped). */
function guardNamesOf(guard: unknown): string[] {
  if (guard === undefined) return [];
  if (typeof guard === 'string') return [guard];
  const combined = (guard as { guards?: unknown[] }).guards;
  if (Array.isArray(combined)) return combined.flatMap(guardNamesOf);
  const type = (guard as { type?: unknown }).type;
  return typeof type === 'string' ? [type] : [];
}

/** The state the password path adds to the chart (providers that log in with a password). */
export const PASSWORD_STATE = 'authenticating';

/**
 * Whether a transition belongs to the password path (NIC e-invoice, e-way bill): into or out
 * of `authenticating`, or a retry of a password login. The OTP model walks every other one,
 * the password model these.
 */
export function isPasswordTransition(t: AnyTransitionDefinition): boolean {
  const targets = (t.target ?? []).map((node) => node.key);
  return (
    t.source.key === PASSWORD_STATE ||
    targets.includes(PASSWORD_STATE) ||
    guardNamesOf(t.guard).some((name) => name.startsWith('isLoginRetry'))
  );
}
