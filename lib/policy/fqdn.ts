import {
  exampleName,
  isMatchAllPattern,
  MATCH_NAME_RE,
  MATCH_PATTERN_RE,
  MAX_FQDN_LENGTH,
} from '../cilium/fqdn';
import { invalidProp } from './errors';

/** A rendered `toFQDNs` item (and DNS L7 rule item). */
export type RenderedFqdn = { readonly matchName: string } | { readonly matchPattern: string };

interface FqdnPart {
  readonly kind: 'name' | 'pattern';
  readonly value: string;
}

/**
 * A DNS name selector for `toFQDNs` (docs/cilium-semantics.md, "matchName and matchPattern"): `*` matches within one label only,
 * a leading `**.` matches one or more labels, and no pattern ever matches the apex.
 */
export class Fqdn {
  /** Exactly this name (case-insensitive), never its subdomains. */
  static name(name: string): Fqdn {
    return new Fqdn([{ kind: 'name', value: name }], `Fqdn.name(${JSON.stringify(name)})`);
  }

  /** A wildcard pattern: `*.github.com` is one label under github.com, not github.com itself. */
  static pattern(pattern: string): Fqdn {
    return new Fqdn([{ kind: 'pattern', value: pattern }], `Fqdn.pattern(${JSON.stringify(pattern)})`);
  }

  /**
   * The domain itself and every name below it, at any depth: `github.com`, `api.github.com`,
   * `a.b.github.com`. Renders `matchName: github.com` and `matchPattern: "**.github.com"`,
   * because `*.github.com` would miss both the apex and deeper names.
   */
  static domainAndSubdomains(domain: string): Fqdn {
    return new Fqdn(
      [
        { kind: 'name', value: domain },
        { kind: 'pattern', value: `**.${domain}` },
      ],
      `Fqdn.domainAndSubdomains(${JSON.stringify(domain)})`,
    );
  }

  private constructor(
    private readonly parts: FqdnPart[],
    private readonly source: string,
  ) {}

  /** The selector as this library's TypeScript, e.g. `Fqdn.name("api.github.com")`. */
  toString(): string {
    return this.source;
  }

  /** @internal The names and patterns as given. */
  get _values(): string[] {
    return this.parts.map((p) => p.value);
  }

  /** @internal A name it matches (the name itself, or an example name for a pattern). */
  get _exampleName(): string {
    const first = this.parts[0];
    return first.kind === 'name' ? first.value.toLowerCase().replace(/\.$/, '') : exampleName(first.value);
  }

  /** @internal The `matchName` / `matchPattern` items, checked. */
  _render(field: string, allowMatchAll = false): RenderedFqdn[] {
    return this.parts.map((p) => renderPart(field, p, allowMatchAll));
  }
}

function renderPart(field: string, part: FqdnPart, allowMatchAll: boolean): RenderedFqdn {
  const v = part.value;
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_FQDN_LENGTH) {
    invalidProp(
      field,
      v,
      'a DNS name or pattern must have 1 to 255 characters',
      'give a name such as `api.github.com`',
    );
  }
  if (part.kind === 'name') {
    if (v.includes('*')) {
      invalidProp(field, v, 'a name cannot contain `*`', 'use Fqdn.pattern(...) for wildcards');
    }
    if (!MATCH_NAME_RE.test(v)) {
      invalidProp(
        field,
        v,
        'only letters, digits, `-`, `_` and `.` are allowed in a DNS name',
        'remove the other characters',
      );
    }
    return { matchName: v.toLowerCase() };
  }
  if (!MATCH_PATTERN_RE.test(v)) {
    invalidProp(
      field,
      v,
      'only letters, digits, `-`, `_`, `.` and `*` are allowed in a DNS pattern',
      'write a pattern such as `*.github.com`',
    );
  }
  if (isMatchAllPattern(v) && !allowMatchAll) {
    invalidProp(
      field,
      v,
      'this pattern matches every DNS name',
      'use the `world` entity if you really mean everything, or list the names',
    );
  }
  return { matchPattern: v.toLowerCase() };
}
