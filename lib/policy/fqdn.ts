import { isMatchAllPattern, MATCH_NAME_RE, MATCH_PATTERN_RE, MAX_FQDN_LENGTH } from '../cilium/fqdn';
import { invalidProp } from './errors';

/** A rendered `toFQDNs` item (and DNS L7 rule item). */
export type RenderedFqdn = { readonly matchName: string } | { readonly matchPattern: string };

/**
 * A DNS name selector for `toFQDNs` (docs/cilium-semantics.md, "matchName and matchPattern"): `*` matches within one label only,
 * a leading `**.` matches one or more labels, and no pattern ever matches the apex.
 */
export class Fqdn {
  /** Exactly this name (case-insensitive), never its subdomains. */
  static name(name: string): Fqdn {
    return new Fqdn('name', name);
  }

  /** A wildcard pattern: `*.github.com` is one label under github.com, not github.com itself. */
  static pattern(pattern: string): Fqdn {
    return new Fqdn('pattern', pattern);
  }

  /**
   * The domain itself and every name below it, at any depth: `github.com`, `api.github.com`,
   * `a.b.github.com`. Emits `matchName: github.com` and `matchPattern: "**.github.com"`,
   * because `*.github.com` would miss both the apex and deeper names.
   */
  static domainAndSubdomains(domain: string): Fqdn[] {
    return [Fqdn.name(domain), Fqdn.pattern(`**.${domain}`)];
  }

  private constructor(
    readonly kind: 'name' | 'pattern',
    readonly value: string,
  ) {}

  /** @internal */
  _render(field: string, allowMatchAll = false): RenderedFqdn {
    const v = this.value;
    if (typeof v !== 'string' || v.length === 0 || v.length > MAX_FQDN_LENGTH) {
      invalidProp(
        field,
        v,
        'a DNS name or pattern must have 1 to 255 characters',
        'give a name such as `api.github.com`',
      );
    }
    if (this.kind === 'name') {
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
}
