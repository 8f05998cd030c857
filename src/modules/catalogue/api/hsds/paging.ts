/**
 * HSDS list endpoints return one page at a time in the envelope the HSDS API reference defines:
 * `{ total_items, total_pages, page_number, size, first_page, last_page, empty, contents }`,
 * where `size` is the number of records on this page and `empty` says whether it has none.
 *
 * @example pageOf(['a', 'b', 'c'], { page: 2, per_page: 2 })
 * // { total_items: 3, total_pages: 2, page_number: 2, size: 1, first_page: false, last_page: true, empty: false, contents: ['c'] }
 */
import { z } from 'zod';

export { DEFAULT_PER_PAGE, MAX_PER_PAGE, pagingQuery } from '../../../../platform/http/paging.js';

export interface Page<T> {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: T[];
}

/** Where a page starts among all the records, counting from 0: for SQL's OFFSET. */
export function offsetOf({ page, per_page }: { page: number; per_page: number }): number {
  return (page - 1) * per_page;
}

/**
 * The envelope of a page whose records were read already (a LIMIT/OFFSET query), given how
 * many records there are in all. A page after the last is not an error: it is empty, and says
 * so. With no records at all there are no pages (total_pages 0) and page 1 is the first and last.
 */
export function pageFrom<T>(
  contents: T[],
  totalItems: number,
  { page, per_page }: { page: number; per_page: number },
): Page<T> {
  const totalPages = Math.ceil(totalItems / per_page);
  return {
    total_items: totalItems,
    total_pages: totalPages,
    page_number: page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

/** One page of items all held in memory (the short lists: bodies, taxonomies, terms). */
export function pageOf<T>(
  items: readonly T[],
  paging: { page: number; per_page: number },
): Page<T> {
  const start = offsetOf(paging);
  return pageFrom(items.slice(start, start + paging.per_page), items.length, paging);
}

/** The envelope, for the OpenAPI document; the records are described by the HSDS schemas. */
export function pageSchema(description: string) {
  return z.object({
    total_items: z.number().int(),
    total_pages: z.number().int(),
    page_number: z.number().int(),
    size: z.number().int(),
    first_page: z.boolean(),
    last_page: z.boolean(),
    empty: z.boolean(),
    contents: z.array(z.unknown()).describe(description),
  });
}
