// A resource written once per host, as text: what stableJson writes for it, without building,
// walking and serialising one object per host. At 5,000 VMs those objects were most of render's
// allocation (and so of its garbage collection), the key-order walk and the serialisation.
import { stableJson } from '@infra/render';
import type { Host } from '@infra/model';

/** Stand-ins for a host's own values: letters, digits and dashes, so no escaping changes them. */
export const HOST_NAME = 'infra-stand-in-host-name-5b2e';
export const HOST_IP = 'infra-stand-in-host-ip-5b2e';
const STAND_IN = 'infra-stand-in-host-';
// A second pair: a group value that happens to hold the first pair's text is found by comparing.
const OTHER_NAME = 'infra-stand-in-host-name-9c41';
const OTHER_IP = 'infra-stand-in-host-ip-9c41';

export interface PerHostText {
  /**
   * The resource of the host named `name` (an identifier: nothing in it is escaped, by JSON nor
   * by `literal`) at address `ip`.
   */
  of(name: string, ip: string): string;
}

/**
 * The resource `build` makes for a host, as stableJson writes it nested at `depth` (its opening
 * brace after a key at that depth). `build` must use the host's name and address only as values
 * or parts of string values (never as keys), which the two serialisations compared here check:
 * the resource built for two different pairs of stand-ins must differ in the stand-ins only.
 * Undefined when it does not (a group's own value holding a stand-in's text): the caller then
 * serialises objects.
 */
export function perHostText(build: (host: Host) => unknown, depth: number): PerHostText | undefined {
  const pad = '  '.repeat(depth);
  const text = (name: string, ip: string) => stableJson(build({ name, ip } as Host)).slice(0, -1).replaceAll('\n', `\n${pad}`);
  const whole = text(HOST_NAME, HOST_IP);
  // As a key, a host's value would decide where its member sorts: not a place for a stand-in.
  // Every string matched whole (so a match never starts inside one); a key is followed by ": ".
  for (const [string, , colon] of whole.matchAll(/("(?:[^"\\]|\\.)*")(: )?/g)) if (colon && string.includes(STAND_IN)) return undefined;
  const parts = whole.split(/(infra-stand-in-host-(?:name|ip)-5b2e)/);
  const other = text(OTHER_NAME, OTHER_IP).split(/(infra-stand-in-host-(?:name|ip)-9c41)/);
  if (parts.length !== other.length) return undefined;
  for (let i = 0; i < parts.length; i += 2) if (parts[i] !== other[i]) return undefined;
  for (let i = 1; i < parts.length; i += 2) if ((parts[i] === HOST_NAME) !== (other[i] === OTHER_NAME)) return undefined;
  const isName = parts.map((p) => p === HOST_NAME);
  return {
    of(name, ip) {
      const address = JSON.stringify(ip).slice(1, -1);
      let out = parts[0];
      for (let i = 1; i < parts.length; i += 2) out += (isName[i] ? name : address) + parts[i + 1];
      return out;
    },
  };
}

/**
 * `text` with each quoted stand-in (a string value written by stableJson, `"<stand-in>"`)
 * replaced by its JSON text. Undefined unless each stand-in occurs exactly once.
 */
export function spliceValue(text: string, values: ReadonlyArray<readonly [standIn: string, json: string]>): string | undefined {
  let out = text;
  for (const [standIn, json] of values) {
    const quoted = `"${standIn}"`;
    const at = out.indexOf(quoted);
    if (at < 0 || out.indexOf(quoted, at + 1) >= 0) return undefined;
    out = out.slice(0, at) + json + out.slice(at + quoted.length);
  }
  return out;
}
