import { invalidProp } from './errors';

/** A rendered HTTP L7 rule. */
export interface RenderedHttpRule {
  readonly method?: string;
  readonly path?: string;
  readonly host?: string;
  readonly headers?: string[];
}

/** An HTTP rule's match (Cilium's `PortRuleHTTP`). */
export interface HttpRuleProps {
  /** Request method, an extended POSIX regex (e.g. `GET`, `GET|HEAD`). @default - any method */
  readonly method?: string;
  /** Request path, an extended POSIX regex matched against the whole path (e.g. `/api/.*`). @default - any path */
  readonly path?: string;
  /** Host header, an extended POSIX regex. @default - any host */
  readonly host?: string;
  /** Headers that must be present, as `Name: value` or `Name`. @default - none */
  readonly headers?: string[];
}

/**
 * An HTTP rule on a port. Ports carrying HTTP rules are always rendered with `protocol: TCP`
 * (Cilium rejects L7 rules on any other protocol, docs/cilium-semantics.md, "Validation").
 */
export class HttpRule {
  /** A GET request, optionally to a path (an extended POSIX regex). */
  static get(path?: string): HttpRule {
    return new HttpRule({ method: 'GET', path });
  }
  /** Any combination of method, path, host and headers. */
  static of(props: HttpRuleProps = {}): HttpRule {
    return new HttpRule(props);
  }

  private constructor(
    /** What the rule matches. */
    readonly props: HttpRuleProps,
  ) {}

  /** @internal */
  _render(field: string): RenderedHttpRule {
    const out: { method?: string; path?: string; host?: string; headers?: string[] } = {};
    for (const key of ['method', 'path', 'host'] as const) {
      const value = this.props[key];
      if (value === undefined) continue;
      try {
        new RegExp(value);
      } catch {
        invalidProp(
          `${field}.${key}`,
          value,
          'not a valid regular expression',
          'escape special characters, e.g. `/api/v1/.*`',
        );
      }
      out[key] = value;
    }
    if (this.props.headers?.length) out.headers = [...this.props.headers];
    return out;
  }
}
