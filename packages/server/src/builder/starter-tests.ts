import type { Expectations, Procedure, SopParse, TestCaseInput } from "./schemas.ts";
import { escalatesToHuman, same } from "./sop.ts";

/**
 * The starter suite for the entry agent: one test per intent and one per escalation rule,
 * derived from the parsed SOP. Intents owned by a specialist must be handed to it;
 * escalations to a person must bring in a human; intents the entry agent handles itself
 * must mention the SOP's key terms and, when it has a knowledge base, cite it.
 */
export function buildStarterTests(
  procedures: Procedure[],
  parse: SopParse,
  entryRole: string,
  slugByRole: Map<string, string>,
  hasKnowledge: boolean,
): TestCaseInput[] {
  const slugOf = (role: string) => [...slugByRole].find(([name]) => same(name, role))?.[1];
  const tests: TestCaseInput[] = [];
  for (const p of procedures) {
    const expectations: Expectations = {};
    const target = same(p.role, entryRole)
      ? p.handoffTargets.map(slugOf).find((s) => s && s !== slugOf(entryRole))
      : slugOf(p.role);
    if (target) expectations.mustHandOffTo = target;
    else {
      if (p.mustMention.length) expectations.mustMention = p.mustMention.slice(0, 3);
      if (hasKnowledge && !p.mustMention.length) expectations.mustCite = true;
    }
    if (Object.keys(expectations).length === 0) expectations.mustRequestHuman = false;
    tests.push({ name: `Intent: ${p.intent}`, turns: [p.exampleRequest], expectations });
  }
  for (const rule of parse.escalationRules) {
    const agentTarget = escalatesToHuman(parse, rule.target) ? undefined : slugOf(rule.target);
    tests.push({
      name: `Escalation: ${rule.condition}`.slice(0, 200),
      turns: [rule.exampleRequest],
      expectations: agentTarget ? { mustHandOffTo: agentTarget } : { mustRequestHuman: true },
    });
  }
  return tests;
}
