/**
 * Finds which organization a resource named in a path belongs to: routes such as
 * `/v1/tasks/{task}` carry no `{org}`. `ref` is an id, or a key (`WEB`, `WEB-42`) looked up in
 * `orgId`, the organization the request names (its API key's, or the `PM-Org` header's). Finds
 * deleted resources too: whether those answer is the handler's business.
 */
export interface ResourceLocator {
  locate(
    ref: string,
    orgId: string | undefined,
  ): Promise<{ orgId: string; id: string } | undefined>;
}

/** Path parameter name → its locator (`project`, `task`). */
export type ResourceLocators = Readonly<Record<string, ResourceLocator>>;

/** The ids of the resources a path named, resolved from ids or keys by the authorize stage. */
export type Located = Readonly<Record<string, string>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (ref: string): boolean => UUID.test(ref);
