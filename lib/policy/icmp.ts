import { icmpTypeName, parseIcmpType } from '../cilium/ports';
import { invalidProp } from './errors';

/** A rendered `icmps[].fields[]` item. */
/** The IP family of an ICMP type. */
export enum IcmpFamily {
  IPV4 = 'IPv4',
  IPV6 = 'IPv6',
}

export interface RenderedIcmpField {
  readonly family: IcmpFamily;
  readonly type: number | string;
}

/**
 * An ICMP type for a rule's `icmps` (ICMP is not a `toPorts` protocol). Replies pass by
 * connection tracking; allow the request types.
 */
export class Icmp {
  /** An ICMPv4 type, by number (0-255) or CamelCase name (`EchoRequest`). */
  static v4(type: number | string): Icmp {
    return new Icmp(IcmpFamily.IPV4, type);
  }
  /** An ICMPv6 type, by number (0-255) or CamelCase name (`EchoRequest`). */
  static v6(type: number | string): Icmp {
    return new Icmp(IcmpFamily.IPV6, type);
  }
  /**
   * Ping: echo request (type 8 on IPv4, 128 on IPv6).
   * @param family @default IcmpFamily.IPV4
   */
  static echoRequest(family?: IcmpFamily): Icmp {
    return new Icmp(family ?? IcmpFamily.IPV4, 'EchoRequest');
  }
  /**
   * Every ICMP type of a family: Cilium treats type 0 as a wildcard.
   * @param family @default IcmpFamily.IPV4
   */
  static anyType(family?: IcmpFamily): Icmp {
    return new Icmp(family ?? IcmpFamily.IPV4, 0, true);
  }

  private constructor(
    /** The IP family. */
    readonly family: IcmpFamily,
    /** The ICMP type, by number or CamelCase name. */
    readonly type: number | string,
    private readonly wildcard = false,
  ) {}

  /** @internal */
  _render(field: string): RenderedIcmpField {
    if (this.family !== IcmpFamily.IPV4 && this.family !== IcmpFamily.IPV6) {
      invalidProp(
        `${field}.family`,
        this.family,
        'not an IP family',
        'use IcmpFamily.IPV4 or IcmpFamily.IPV6',
      );
    }
    const number = parseIcmpType(this.type, this.family);
    if (number === undefined) {
      invalidProp(
        `${field}.type`,
        this.type,
        `not an ${this.family} ICMP type (0-255 or a CamelCase name such as EchoRequest)`,
        'give a type number or name, e.g. Icmp.echoRequest()',
      );
    }
    if (number === 0 && !this.wildcard) {
      invalidProp(
        `${field}.type`,
        this.type,
        `Cilium treats ICMP type 0${this.family === 'IPv4' ? ' (EchoReply)' : ''} as "every type of the family"; replies pass by connection tracking anyway`,
        `allow the request type (Icmp.echoRequest()), or Icmp.anyType(IcmpFamily.${this.family.toUpperCase()}) if you mean every type`,
      );
    }
    return {
      family: this.family,
      type: typeof this.type === 'number' ? this.type : (icmpTypeName(number, this.family) ?? this.type),
    };
  }
}
