import { connectivitySnapshotMatchers } from './connectivity-snapshot';
import { ciliumMatchers } from './matchers';

/** `setupFilesAfterEnv: ['cdk8s-cilium-lockdown/build/lib/testing/setup']` registers the matchers. */
declare const expect: { extend(matchers: Record<string, unknown>): void };
expect.extend(ciliumMatchers);
expect.extend(connectivitySnapshotMatchers);
