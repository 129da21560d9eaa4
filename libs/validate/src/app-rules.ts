// Rules of the app catalogue as one environment uses it: vhosts inside the environment's public
// domains, secrets under its Vault prefix. Shared app definitions carry values that vary per
// environment; these rules catch production's values rendered into another environment.
import { isSecretRef, SECRET_PATH, type Environment, type Problem } from '@infra/model';

type Report = (path: string, message: string) => void;

export function checkAppRules(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const report: Report = (path, message) => problems.push({ env: env.name, path, message });
  checkPublicDomains(env, report);
  checkSecretPrefix(env, report);
  return problems;
}

const under = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

function checkPublicDomains(env: Environment, report: Report): void {
  const domains = env.publicDomains;
  if (domains === undefined) return;
  for (const app of env.apps) {
    const vhost = app.expose?.vhost;
    if (vhost === undefined || domains.some((d) => under(vhost.toLowerCase(), d.toLowerCase()))) continue;
    report(`apps${app.id}/expose/vhost`, `${vhost} is outside the public domains of ${env.name} (${domains.join(', ')}): ` +
      `serve it under one of them, or add its domain to publicDomains if ${env.name} really serves it`);
  }
  for (const d of domains) {
    if (!/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i.test(d)) report('publicDomains', `"${d}" is not a DNS domain (e.g. shop.example.com)`);
  }
}

function checkSecretPrefix(env: Environment, report: Report): void {
  const prefix = env.secretPrefix;
  if (prefix === undefined) return;
  for (const app of env.apps) {
    for (const [name, ref] of Object.entries(app.secrets ?? {})) {
      // A malformed reference is the secret rule's to report; one message per mistake.
      if (!isSecretRef(ref) || !SECRET_PATH.test(ref.vault) || ref.vault.startsWith(`${prefix}/`)) continue;
      report(`apps${app.id}/secrets/${name}/vault`, `${ref.vault} is outside ${env.name}'s Vault prefix "${prefix}/": ` +
        `an environment reads only its own secrets; use secret("${prefix}/<path>#<key>")`);
    }
  }
}
