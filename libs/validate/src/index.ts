import type { Environment, Problem } from '@infra/model';
import { checkSchema } from './schema-check';
import { checkSemantics } from './semantic';
import { checkSecrets } from './secret-rules';
import { checkAppRules } from './app-rules';
import { checkDependencies } from './dependency-rules';

/** The rules that need the whole environment, each in the file named for what it holds. */
const RULES: ((env: Environment, brokenShape: boolean) => Problem[])[] = [checkSemantics, checkSecrets, checkAppRules, checkDependencies];

/**
 * Every problem of a definition at once: schema (types, patterns) and every rule, even when the
 * shape is broken somewhere (a wrong field elsewhere must not hide a duplicated address). On a
 * broken shape a rule may not be able to read what it checks: it then contributes nothing, and
 * what it would say at or under a place the schema already refused is left to the schema.
 */
export function validateEnvironment(env: Environment, name = env?.name ?? '?'): Problem[] {
  const schema = checkSchema(env, name);
  const rules: Problem[] = [];
  for (const rule of RULES) {
    try {
      rules.push(...rule(env, !schema.shapeOk));
    } catch (err) {
      if (schema.shapeOk) throw err; // a rule that throws on a well-formed definition is a bug
    }
  }
  const refused = schema.problems.map((p) => p.path);
  // (Rules name hosts by `hosts/<name>`, the schema by their group: `hostGroups/<g>/hosts/<name>`.)
  const sameSpot = (rule: string, at: string) => rule === at || rule.startsWith(`${at}/`) || at.endsWith(`/${rule}`);
  const kept = schema.shapeOk ? rules : rules.filter((r) => !refused.some((at) => sameSpot(r.path, at)));
  // A rule that explains a value the schema's pattern refused says it better: keep that one.
  const explained = new Set(kept.map((p) => p.path));
  return unique([...schema.problems.filter((p) => !explained.has(p.path)), ...kept]);
}

function unique(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.env}\0${p.path}\0${p.message}`;
    return !seen.has(key) && (seen.add(key), true);
  });
}

export { checkSchema } from './schema-check';
export { checkSemantics } from './semantic';
export { checkSecrets, credentialIn } from './secret-rules';
export { checkAppRules } from './app-rules';
export { checkDependencies, findCycles, hostedApps } from './dependency-rules';
