export * from './model';
export { computeMatrix, MatrixInput } from './compute';
export { groupIdentities, MatrixIdentity } from './identities';
export { discoverWorkloads, podIdentityLabels, WorkloadError } from './workloads';
export { discoverPolicyPeers, exampleName, PolicyPeers } from './policy-peers';
export { parsePortList, formatPort } from './ports';
export { EdgeClass, MapEdge, mapEdges, mapEdgeLabel, edgeClass, pairRows } from './edges';
export {
  buildServiceMap,
  ServiceMap,
  ServiceMapOptions,
  MapGroup,
  MapNode,
  EDGE_STYLES,
  DEFAULT_WORKLOAD_LIMIT,
  mapNamespaces,
  UnknownNamespaceError,
} from './service-map';
export { layoutServiceMap, LaidOutMap } from './layout';
export { layoutColumns } from './layout-columns';
export { renderText, renderMarkdown, matrixTable } from './render-table';
export {
  renderJson,
  renderJsonChunks,
  matrixJson,
  MATRIX_JSON_VERSION,
  MatrixJsonOptions,
} from './render-json';
export { renderDot } from './render-dot';
export { renderSvg, drawServiceMap } from './render-svg';
export { renderHtml } from './render-html';
