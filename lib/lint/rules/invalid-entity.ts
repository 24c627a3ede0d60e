import { show } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { allElements } from '../util/walk';
import { CRD_ENTITY_NAMES, isCrdEntityName } from '../../cilium/entities';

const ENTITY_FIELDS = ['fromEntities', 'toEntities'] as const;

export const invalidEntity = defineRule({
  id: 'invalid-entity',
  severity: 'error',
  fields: ['fromEntities', 'toEntities'],
  title: 'Entities must be in the CRD enum',
  rationale:
    'fromEntities/toEntities accept all, world, cluster, host, init, ingress, unmanaged, remote-node, health, none and kube-apiserver. `world-ipv4` and `world-ipv6` exist inside the agent but the CRD enum rejects them (docs/cilium-semantics.md, "Entities" and "Validation").',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [{ toEntities: ['world-ipv4'] }],
      }),
    ],
    good: [
      cnp('web', { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toCIDR: ['0.0.0.0/0'] }] }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      for (const field of ENTITY_FIELDS) {
        const entities = el.element[field];
        if (!Array.isArray(entities)) continue;
        entities.forEach((e, i) => {
          if (isCrdEntityName(e)) return;
          const path = `${el.path}.${field}[${i}]`;
          if (e === 'world-ipv4' || e === 'world-ipv6') {
            report(
              path,
              `the entity ${e} is not accepted by the CRD`,
              `use ${field.startsWith('to') ? 'toCIDR' : 'fromCIDR'}: ["${e === 'world-ipv4' ? '0.0.0.0/0' : '::/0'}"] for one family, or the entity world for both`,
            );
          } else {
            const lower =
              typeof e === 'string'
                ? CRD_ENTITY_NAMES.find((x) => x === e.toLowerCase().replace(/_/g, '-'))
                : undefined;
            report(
              path,
              `${show(e)} is not an entity`,
              lower ? `write "${lower}"` : `use one of ${CRD_ENTITY_NAMES.join(', ')}`,
            );
          }
        });
      }
    }
  },
});
