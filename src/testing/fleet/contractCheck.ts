/** A failed rule of a contract suite: what was expected and what came. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

/**
 * Asserts one rule of a contract suite without a test framework's `expect` (the suites run
 * under any framework): throws a {@link ContractViolation} naming the rule and what was seen.
 */
export function check(holds: boolean, rule: string, seen?: unknown): void {
  if (!holds)
    throw new ContractViolation(
      seen === undefined ? rule : `${rule} (got ${JSON.stringify(seen)})`,
    );
}
