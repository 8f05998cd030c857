import { z } from 'zod';

export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 50;

/** The `page` and `per_page` query parameters every paged list endpoint takes. */
export const pagingQuery = {
  page: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be 1 or more')
    .default(1)
    .describe('Page number, from 1'),
  per_page: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be 1 or more')
    .max(MAX_PER_PAGE, `must be ${MAX_PER_PAGE} or fewer`)
    .default(DEFAULT_PER_PAGE)
    .describe(`Records a page, 1 to ${MAX_PER_PAGE} (default ${DEFAULT_PER_PAGE})`),
};
