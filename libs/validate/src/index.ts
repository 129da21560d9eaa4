import type { Environment, Problem } from '@infra/model';
import { checkSchema } from './schema-check';
import { checkSemantics } from './semantic';
import { checkSecrets } from './secret-rules';
import { checkAppRules } from './app-rules';
import { checkDependencies } from './dependency-rules';

/**
 * Every problem of a definition at once: schema first (types, patterns), then the rules that
 * need the whole environment. Semantic rules run unless the definition's shape is broken, where
 * they could only produce noise.
 */
export function validateEnvironment(env: Environment, name = env?.name ?? '?'): Problem[] {
  const schema = checkSchema(env, name);
  if (!schema.shapeOk) return schema.problems;
  const rules = [...checkSemantics(env), ...checkSecrets(env), ...checkAppRules(env), ...checkDependencies(env)];
  // A rule that explains a value the schema's pattern refused says it better: keep that one.
  const explained = new Set(rules.map((p) => p.path));
  return [...schema.problems.filter((p) => !explained.has(p.path)), ...rules];
}

export { checkSchema } from './schema-check';
export { checkSemantics } from './semantic';
export { checkSecrets, credentialIn } from './secret-rules';
export { checkAppRules } from './app-rules';
export { checkDependencies, findCycles, hostedApps } from './dependency-rules';
