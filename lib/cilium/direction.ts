/** The two directions a policy rule governs: ingress at the destination, egress at the source. */
export type Direction = 'ingress' | 'egress';

export const DIRECTIONS: readonly Direction[] = ['ingress', 'egress'];
