import { Flow, FlowResult } from '../../lib/engine/types';
import { HubbleFlow } from '../../lib/hubble/flow-json';
import { LabelSets } from '../../lib/hubble/label-sets';
import { flowShape, FlowShape } from '../../lib/hubble/to-engine-flow';
import { EvaluationCache, FlowEvaluator } from '../../lib/replay/evaluation-cache';

/**
 * The evaluation cache must answer every flow as asking the engine afresh would: an evaluator
 * that answers with what it was asked about (addresses, DNS names, port) shows any flow that
 * got another flow's answer.
 */
function recordingEvaluator(): FlowEvaluator & { readonly questions: number } {
  let questions = 0;
  return {
    get questions() {
      return questions;
    },
    evaluate(flow: Flow): FlowResult {
      questions++;
      const side = { decision: 'UNDECIDED' as const, rules: [], notes: [asked(flow)] };
      return { verdict: 'UNDECIDED', egress: side, ingress: { ...side } };
    },
    // Every address its own class.
    addressClass: (ip: string) => ip,
  };
}

/** What the recording evaluator answers for a flow. */
function asked(flow: Flow): string {
  const end = (p: Flow['source']) => `${p.ip ?? '-'} [${(p.dnsNames ?? []).join('|')}]`;
  return `${end(flow.source)} -> ${end(flow.destination)} ${flow.protocol}/${flow.port}`;
}

const WORLD = ['reserved:world'];

function flow(
  sourceIp: string,
  destinationIp: string,
  options: { sourceNames?: string[]; destinationNames?: string[]; port?: number } = {},
): HubbleFlow {
  return {
    source: { identity: 2, labels: WORLD },
    destination: { identity: 2, labels: WORLD },
    IP: { source: sourceIp, destination: destinationIp },
    l4: { TCP: { destination_port: options.port ?? 443 } },
    ...(options.sourceNames ? { source_names: options.sourceNames } : {}),
    ...(options.destinationNames ? { destination_names: options.destinationNames } : {}),
  } as HubbleFlow;
}

function expectedAnswer(f: HubbleFlow): string {
  const end = (ip: string | undefined, names: readonly string[] | undefined) =>
    `${ip ?? '-'} [${[...(names ?? [])].sort().join('|')}]`;
  return `${end(f.IP?.source, f.source_names)} -> ${end(f.IP?.destination, f.destination_names)} TCP/${f.l4?.TCP?.destination_port}`;
}

function evaluator(): { cache: EvaluationCache; answer: (f: HubbleFlow) => string; questions: () => number } {
  const recording = recordingEvaluator();
  const cache = new EvaluationCache(recording);
  const labelSets = new LabelSets();
  return {
    cache,
    answer: (f) => {
      const shape = flowShape(f, labelSets);
      if (!shape.ok) throw new Error(shape.reason);
      return cache.evaluate(f, shape as FlowShape).result.egress.notes[0];
    },
    questions: () => recording.questions,
  };
}

describe('EvaluationCache', () => {
  test('flows with DNS names: asked once per distinct question, never given another flow`s answer', () => {
    const { answer, questions } = evaluator();
    const flows = [
      flow('10.0.0.1', '8.8.8.8', { destinationNames: ['api.example.com'] }),
      flow('10.0.0.1', '8.8.8.8', { destinationNames: ['www.example.com'] }),
      flow('10.0.0.1', '8.8.8.8', { destinationNames: ['a.example.com', 'b.example.com'] }),
      // One name with a comma: not the two names above joined.
      flow('10.0.0.1', '8.8.8.8', { destinationNames: ['a.example.com,b.example.com'] }),
      flow('10.0.0.1', '8.8.8.8', { sourceNames: ['api.example.com'] }),
      flow('10.0.0.1', '8.8.8.8', {
        sourceNames: ['api.example.com'],
        destinationNames: ['api.example.com'],
      }),
      flow('10.0.0.1', '8.8.4.4', { destinationNames: ['api.example.com'] }),
      flow('10.0.0.2', '8.8.8.8', { destinationNames: ['api.example.com'] }),
      flow('10.0.0.1', '8.8.8.8', { destinationNames: ['api.example.com'], port: 80 }),
      flow('10.0.0.1', '8.8.8.8'),
    ];
    for (const f of flows) expect(answer(f)).toBe(expectedAnswer(f));
    expect(questions()).toBe(flows.length);
    // Asked again: every answer from the cache.
    for (const f of [...flows].reverse()) expect(answer(f)).toBe(expectedAnswer(f));
    expect(questions()).toBe(flows.length);
  });

  test('address class numbers handed out again after a flush never mix with numbers from before it', () => {
    const { answer } = evaluator();
    // 65,535 address classes: the next new one makes the cache number them afresh. The flow that
    // does it has a source numbered before the flush and a destination numbered after it.
    for (let k = 1; k <= 65_534; k++) {
      const f = flow(`10.${k >> 16}.${(k >> 8) & 255}.${k & 255}`, '192.0.2.1');
      expect(answer(f)).toBe(expectedAnswer(f));
    }
    const across = flow('10.0.0.1', '198.51.100.1');
    expect(answer(across)).toBe(expectedAnswer(across));
    // Its destination's new number is the first one handed out: a flow from that address to
    // itself must not be taken for the flow above.
    const after = flow('198.51.100.1', '198.51.100.1');
    expect(answer(after)).toBe(expectedAnswer(after));
    const named = flow('198.51.100.1', '198.51.100.1', { destinationNames: ['api.example.com'] });
    expect(answer(named)).toBe(expectedAnswer(named));
  });
});
