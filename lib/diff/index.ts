export * from './model';
export { DiffInputError } from './errors';
export { alignedMatrices, diffConnectivity, diffMatrices, DiffContext } from './compute';
export { renderDiffText } from './render-text';
export { renderDiffMarkdown, DiffMarkdownOptions } from './render-markdown';
export { renderDiffJson, diffJson } from './render-json';
