import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { KubeManifest } from '../manifest/types';
import { SharedSanitizeResults, withSharedSanitize } from '../cilium/sanitize';

/**
 * Work shared by the synth-time checks of one app, done once per synth.
 *
 * `App.synth()` validates the whole app once, then again for every chart it writes (each
 * `chart.toJson()` validates the app). Nothing but cdk8s runs between those passes, so their
 * results are the same: the checks compute once in the first pass and reuse it in the passes of
 * the same `App.synth()`/`synthYaml()`. Any other validation (`Testing.synth`, a second
 * `app.synth()` after a change) computes afresh.
 */
interface PassState {
  values: Map<string, unknown>;
  /** Changes whenever `values` starts afresh: what one synth computed carries its generation. */
  generation: number;
  /** Set while an app's own synth continues the validation pass it just made (see continueSynth). */
  continuing: boolean;
}

const STATES = new WeakMap<IConstruct, PassState>();

/**
 * Attaches the pass marker to the app's root; call before adding a root validation that uses
 * `perSynth`, so the marker runs first in every pass (cdk8s walks the tree in pre-order and runs
 * a construct's validations in the order they were added).
 */
export function trackSynthPasses(root: IConstruct): void {
  if (STATES.has(root)) return;
  const state: PassState = { values: new Map(), generation: 0, continuing: false };
  STATES.set(root, state);
  root.node.addValidation({
    validate: () => {
      if (!state.continuing && !isRepeatPassOfOneSynth()) {
        state.values = new Map();
        state.generation++;
      }
      return [];
    },
  });
}

/**
 * Runs `synth` as the continuation of the validation pass just made over the app of `root` (an
 * app that validates everything before it writes anything, then calls cdk8s's synth): the passes
 * of that synth reuse the checks' work instead of computing it a second time.
 */
export function continueSynth(root: IConstruct, synth: () => void): void {
  const state = STATES.get(root);
  if (!state) return synth();
  state.continuing = true;
  try {
    synth();
  } finally {
    state.continuing = false;
  }
}

/** `compute()` once per synth of the app of `root` (see trackSynthPasses). */
export function perSynth<T>(root: IConstruct, key: string, compute: () => T): T {
  const state = STATES.get(root);
  if (!state) throw new Error('perSynth: trackSynthPasses was not called on this root');
  if (state.values.has(key)) return state.values.get(key) as T;
  const value = compute();
  state.values.set(key, value);
  return value;
}

/**
 * `perSynth` for one construct's own validation, which cdk8s calls once per chart it writes:
 * after the first pass of a synth a call is one comparison, however many charts the app has.
 */
export function perSynthOf<T>(root: IConstruct, compute: () => T): () => T {
  const state = STATES.get(root);
  if (!state) throw new Error('perSynthOf: trackSynthPasses was not called on this root');
  let generation = -1;
  let value: T;
  return () => {
    if (state.generation !== generation) {
      value = compute();
      generation = state.generation;
    }
    return value;
  };
}

/** Every ApiObject of the app with its manifest, rendered once per synth. */
export function renderedObjects(
  root: IConstruct,
): ReadonlyArray<{ readonly object: ApiObject; readonly manifest: KubeManifest }> {
  return perSynth(root, 'rendered', () =>
    root.node
      .findAll()
      .filter((c): c is ApiObject => c instanceof ApiObject)
      .map((object) => ({ object, manifest: object.toJson() as KubeManifest })),
  );
}

/**
 * Runs `fn`, a check of this synth over the rendered manifests (which nothing changes during the
 * synth), with the agent's verdict on each rule (`sanitizeRule`) computed once for every check.
 */
export function sharingSanitizeOfThisSynth<T>(root: IConstruct, fn: () => T): T {
  return withSharedSanitize(
    perSynth(root, 'sanitized-rules', (): SharedSanitizeResults => new WeakMap()),
    fn,
  );
}

/**
 * The manifest the checks of this synth rendered for `object` (see renderedObjects), when cdk8s
 * asks for it again to write a chart of that same synth; otherwise undefined (render afresh).
 */
export function renderedForThisSynth(object: ApiObject): KubeManifest | undefined {
  const state = STATES.get(object.node.root);
  const rendered = state?.values.get('rendered') as ReturnType<typeof renderedObjects> | undefined;
  if (!state || !rendered) return undefined;
  // cdk8s asks right after the chart's validation pass: `_synthChart` and the app's synth are
  // within 8 frames of here (a Chart subclass's own toJson may add some).
  if (!state.continuing && !withinSynthChartOfOneSynth(12)) return undefined;
  let byObject = RENDERED_BY_OBJECT.get(rendered);
  if (!byObject) {
    byObject = new Map(rendered.map((r) => [r.object, r.manifest]));
    RENDERED_BY_OBJECT.set(rendered, byObject);
  }
  return byObject.get(object);
}

const RENDERED_BY_OBJECT = new WeakMap<object, Map<ApiObject, KubeManifest>>();

const CDK8S_APP = /[\\/]cdk8s[\\/](lib[\\/]app\.js|src[\\/]app\.ts)$/;

/**
 * True when this validation pass is one of the per-chart passes inside `App.synth()` or
 * `App.synthYaml()`: the call stack holds cdk8s's `_synthChart` called from the app's synth.
 * When cdk8s is laid out otherwise this is false and the checks simply run again.
 */
function isRepeatPassOfOneSynth(): boolean {
  return withinSynthChartOfOneSynth(64);
}

/** Whether the `depth` innermost frames hold cdk8s's `_synthChart` called from the app's `synth`/`synthYaml`. */
function withinSynthChartOfOneSynth(depth: number): boolean {
  const { stackTraceLimit, prepareStackTrace } = Error;
  let sites: NodeJS.CallSite[] = [];
  try {
    Error.stackTraceLimit = depth;
    // The raw call sites: no source-map lookups by test runners' own prepareStackTrace.
    Error.prepareStackTrace = (_e, callSites) => callSites;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder);
    sites = (holder.stack as NodeJS.CallSite[] | undefined) ?? [];
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    Error.prepareStackTrace = prepareStackTrace;
  }
  const names = sites
    .filter((s) => CDK8S_APP.test(s.getFileName() ?? ''))
    .map((s) => s.getFunctionName() ?? s.getMethodName() ?? '');
  return names.includes('_synthChart') && (names.includes('synth') || names.includes('synthYaml'));
}
