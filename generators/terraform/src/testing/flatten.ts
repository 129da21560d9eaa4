// Rendered Terraform as a flat map of addressable parts, so tests can say exactly what changed
// between two renders ("one resource added, nothing else") instead of comparing whole files.
import type { FileMap } from '@infra/render';

/** `file#resource.<type>.<name>` (and locals, variables, providers, data, terraform) → JSON. */
export function flatten(files: FileMap): Map<string, string> {
  const out = new Map<string, string>();
  for (const [file, text] of files) {
    if (!file.endsWith('.tf.json')) continue;
    const doc = JSON.parse(text) as Record<string, unknown>;
    for (const [top, value] of Object.entries(doc)) {
      if (top === 'resource' || top === 'data') {
        for (const [type, byName] of Object.entries(value as Record<string, Record<string, unknown>>)) {
          for (const [name, body] of Object.entries(byName)) out.set(`${file}#${top}.${type}.${name}`, JSON.stringify(body));
        }
      } else if (top === 'locals' || top === 'variable' || top === 'provider') {
        for (const [name, body] of Object.entries(value as Record<string, unknown>)) out.set(`${file}#${top}.${name}`, JSON.stringify(body));
      } else {
        out.set(`${file}#${top}`, JSON.stringify(value));
      }
    }
  }
  return out;
}

export interface Changes {
  added: string[];
  removed: string[];
  changed: string[];
}

export function changes(before: FileMap, after: FileMap): Changes {
  const a = flatten(before);
  const b = flatten(after);
  return {
    added: [...b.keys()].filter((k) => !a.has(k)).sort(),
    removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    changed: [...b.keys()].filter((k) => a.has(k) && a.get(k) !== b.get(k)).sort(),
  };
}
