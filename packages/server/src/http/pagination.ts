import { z } from "zod";

/** `page` (from 1) and `pageSize` (default 20, at most 100), as every list endpoint takes them. */
export const pageQuery = {
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
};

/**
 * `{ count, page, totalPages, results }`, the shape of every paginated list, named `id` in the OpenAPI
 * document. Call it once per list, at module level: a second schema under the same id would replace
 * the first one's component.
 */
export function paginated<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      count: z.number().int(),
      page: z.number().int(),
      totalPages: z.number().int(),
      results: z.array(item),
    })
    .meta({ id });
}

export function pageOf<T>(count: number, page: { page: number; pageSize: number }, results: T[]) {
  return { count, page: page.page, totalPages: Math.ceil(count / page.pageSize), results };
}
