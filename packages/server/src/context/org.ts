import type { components } from '@pmkit/sdk/schema';

type Role = components['schemas']['Role'];

/** The organization a request acts in, with the caller's role there. */
export interface OrgContext {
  id: string;
  slug: string;
  name: string;
  role: Role;
  createdAt: Date;
}
