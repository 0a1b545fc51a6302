import type { ApiResponse } from './api-response.ts';
import { queryNumber } from './fake-core.ts';

/**
 * One page of a list, as GitHub pages: `per_page` (default 30, at most 100) and `page` (from 1), with a `Link`
 * header holding `next`, `last`, `first` and `prev` as absolute URLs (Octokit's paginate follows `next`).
 */
export function paginate<T>(
  items: readonly T[],
  request: { query: URLSearchParams; url: string },
  apiRoot: string,
  wrap: (page: T[]) => unknown = (page) => page,
): ApiResponse {
  const perPage = queryNumber(request.query, 'per_page', 30, 100);
  const page = queryNumber(request.query, 'page', 1);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (target: number) => {
    const url = new URL(request.url, apiRoot);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(target));
    return `<${url.href}>`;
  };
  const links: string[] = [];
  if (page < lastPage) links.push(`${link(page + 1)}; rel="next"`, `${link(lastPage)}; rel="last"`);
  if (page > 1) links.push(`${link(1)}; rel="first"`, `${link(Math.min(page - 1, lastPage))}; rel="prev"`);
  return { status: 200, body: wrap(slice), headers: links.length > 0 ? { link: links.join(', ') } : {} };
}
