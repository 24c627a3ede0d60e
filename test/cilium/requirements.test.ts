import { parseLabel } from '../../lib/cilium/labels';
import { Requirement, requirementHolds } from '../../lib/cilium/requirements';

describe('1.6 requirements', () => {
  const labels = ['k8s:app=web', 'k8s:tier=front', 'reserved:host'].map(parseLabel);
  const r = (
    source: string,
    key: string,
    operator: Requirement['operator'],
    values: string[] = [],
  ): Requirement => ({ source, key, operator, values });
  test.each([
    [r('any', 'app', 'In', ['web']), true],
    [r('k8s', 'app', 'In', ['web', 'api']), true],
    [r('container', 'app', 'In', ['web']), false],
    [r('any', 'app', 'NotIn', ['api']), true],
    [r('any', 'app', 'NotIn', ['web']), false],
    [r('any', 'missing', 'NotIn', ['x']), true],
    [r('any', 'tier', 'Exists'), true],
    [r('any', 'missing', 'Exists'), false],
    [r('any', 'missing', 'DoesNotExist'), true],
    [r('reserved', 'host', 'In', ['']), true],
    [r('k8s', 'host', 'Exists'), false],
  ])('%j -> %s', (req, want) => expect(requirementHolds(req, labels)).toBe(want));
});
