import { KubeManifest } from '../../manifest/types';
import { isObject, PlainObject } from '../../util/shape';
import { allElements, dnsRulesOf, ElementRef, sharedPerPolicy } from './walk';
import { asArray } from '../../util/shape';

/** A `toFQDNs` item or a `rules.dns` item, with where it sits. */
export interface FqdnEntryRef {
  readonly entry: PlainObject;
  readonly path: string;
  readonly source: 'toFQDNs' | 'dns';
  readonly element: ElementRef;
}

/** Every `toFQDNs` and `rules.dns` item of a policy, element by element. */
export function fqdnEntriesOf(policy: KubeManifest): readonly FqdnEntryRef[] {
  return sharedPerPolicy(policy, 'fqdn-entries', () => collectFqdnEntries(policy));
}

function collectFqdnEntries(policy: KubeManifest): FqdnEntryRef[] {
  const out: FqdnEntryRef[] = [];
  for (const el of allElements(policy)) {
    asArray(el.element.toFQDNs).forEach((entry, i) => {
      if (isObject(entry))
        out.push({ entry, path: `${el.path}.toFQDNs[${i}]`, source: 'toFQDNs', element: el });
    });
    for (const d of dnsRulesOf(el)) {
      d.entries.forEach((entry, i) => {
        if (isObject(entry)) out.push({ entry, path: `${d.path}[${i}]`, source: 'dns', element: el });
      });
    }
  }
  return out;
}
