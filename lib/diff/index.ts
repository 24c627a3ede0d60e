export * from './model';
export { DiffInputError } from './errors';
export { alignedMatrices, changeKind, diffConnectivity, diffMatrices, DiffContext } from './compute';
export { diffPolicies, MAX_CHANGED_FIELDS } from './policies';
export { renderDiffText } from './render-text';
export { renderDiffMarkdown, DiffMarkdownOptions } from './render-markdown';
export { renderDiffJson, diffJson } from './render-json';
export { mdCode, mdText } from './markdown';
