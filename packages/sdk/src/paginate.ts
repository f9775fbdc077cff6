export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PaginateOptions {
  /** Stop iterating after this many items (across pages). */
  maxItems?: number;
}

/**
 * A list result: `await` it for the first page, or `for await` it for every item across pages.
 * The first page is fetched once and shared by both uses.
 */
export interface Paginated<T> extends PromiseLike<Page<T>>, AsyncIterable<T> {
  /** Every item (up to `maxItems`) in one array. */
  toArray(): Promise<T[]>;
}

export type PageFetcher<T> = (cursor: string | undefined) => Promise<Page<T>>;

export function paginate<T>(
  fetchPage: PageFetcher<T>,
  options: PaginateOptions = {},
): Paginated<T> {
  let first: Promise<Page<T>> | undefined;
  const firstPage = () => {
    first ??= fetchPage(undefined);
    return first;
  };
  const max = options.maxItems ?? Number.POSITIVE_INFINITY;

  async function* iterate(): AsyncGenerator<T> {
    let yielded = 0;
    let page = await firstPage();
    while (true) {
      for (const item of page.items) {
        if (yielded >= max) return;
        yielded++;
        yield item;
      }
      if (!page.nextCursor || yielded >= max) return;
      page = await fetchPage(page.nextCursor);
    }
  }

  return {
    // biome-ignore lint/suspicious/noThenProperty: a list is deliberately awaitable (first page)
    then(onFulfilled, onRejected) {
      return firstPage().then(onFulfilled, onRejected);
    },
    [Symbol.asyncIterator]: iterate,
    async toArray() {
      const all: T[] = [];
      for await (const item of iterate()) all.push(item);
      return all;
    },
  };
}
