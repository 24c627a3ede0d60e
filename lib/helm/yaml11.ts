/**
 * Helm reads values files with go-yaml v2 (through sigs.k8s.io/yaml), which resolves plain scalars
 * by YAML 1.1 rules and Go's number parsing: `yes`, `on`, `y` are booleans, `1_000`, `0b101`,
 * `0o17`, `017`, `0x1F` and `1:20` are integers, `.inf` and `1e3` floats, `~` null. A string
 * written plain in one of those forms would reach the chart as another type, and a map key in one
 * of them would be renamed (`on:` becomes the key `"true"`). Such strings must be quoted.
 */
const AMBIGUOUS_PLAIN: readonly RegExp[] = [
  // booleans of YAML 1.1 and 1.2
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  // null
  /^(?:~|null|Null|NULL)$/,
  // integers: YAML 1.1 binary, octal, decimal, hex and sexagesimal, each with `_` separators; YAML 1.2 `0o`
  /^[-+]?0[bB][0-1_]*$/,
  /^[-+]?0[oO]?[0-7_]*$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0[xX][0-9a-fA-F_]*$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
  // floats: YAML 1.1 (`1.`, `.5`, `1_0.5e+3`), go-yaml's and YAML 1.2's (`1e3`), infinities and NaN
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  // timestamps
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/,
  // the merge key and YAML 1.1's value key
  /^(?:<<|=)$/,
];

/** True when `text`, written as a plain (unquoted) YAML scalar, would not be read back by Helm as this string. */
export function isAmbiguousPlainScalar(text: string): boolean {
  return text === '' || AMBIGUOUS_PLAIN.some((pattern) => pattern.test(text));
}
