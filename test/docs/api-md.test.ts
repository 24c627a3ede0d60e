import * as fs from 'fs';
import { API_MD, renderApiMarkdown } from '../../scripts/docs/api-md';

test('API.md is the jsii-docgen reference of the current build (npm run build && npm run docs:api)', async () => {
  const expected = await renderApiMarkdown();
  expect(fs.readFileSync(API_MD, 'utf8')).toEqual(expected);
});
