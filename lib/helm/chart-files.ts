import { type Document, LineCounter, parseDocument } from 'yaml';
import { CILIUM_VERSION, ciliumFilesDir, readCiliumFile } from '../manifest/cilium-files';

/** The Cilium chart version whose values.yaml and values.schema.json ship in imports/cilium/1.20/. */
export const CILIUM_CHART_VERSION = CILIUM_VERSION;

/** Directory holding the chart's values.yaml and values.schema.json inside this package. */
export function ciliumChartDir(): string {
  return ciliumFilesDir();
}

let valuesYamlText: string | undefined;
let schemaObject: object | undefined;

/** The chart's values.yaml, read once. */
export function readCiliumValuesYaml(): string {
  valuesYamlText ??= readCiliumFile('values.yaml');
  return valuesYamlText;
}

/** A values.yaml parsed with its line positions. */
export interface ParsedValuesYaml {
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
}

/** Parses a values.yaml with its line positions. */
export function parseValuesYaml(text: string): ParsedValuesYaml {
  const lineCounter = new LineCounter();
  return { text, doc: parseDocument(text, { lineCounter }), lineCounter };
}

let parsedValuesYaml: ParsedValuesYaml | undefined;

/** The chart's values.yaml parsed once: its defaults and its key index are both read from it. */
export function parsedCiliumValuesYaml(): ParsedValuesYaml {
  parsedValuesYaml ??= parseValuesYaml(readCiliumValuesYaml());
  return parsedValuesYaml;
}

/** The chart's values.schema.json, parsed once. */
export function readCiliumValuesSchema(): object {
  schemaObject ??= JSON.parse(readCiliumFile('values.schema.json')) as object;
  return schemaObject;
}
