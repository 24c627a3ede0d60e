export * from './types';
export { PolicyEngine, overallVerdict } from './engine';
export { parsePeer, parseFlowPort, PeerSyntaxError } from './peer-syntax';
export { describePeer, describePort, describeRule } from './describe';
export { explainFlow, FlowExplanation, DirectionExplanation } from './explain';
