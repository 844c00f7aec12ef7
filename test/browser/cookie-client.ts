import { expect } from 'vitest';

/** The server's answer to one raw HTTP request: status, headers and JSON body. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly json: {
    data?: Record<string, Record<string, unknown> | null> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

/** Posts `body` with `headers` (add a `cookie` one to act as the browser) and parses the JSON answer. */
export async function post(
  url: string,
  headers: Record<string, string>,
  body: BodyInit,
): Promise<RawResponse> {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : {} };
}

/** A JSON GraphQL POST, as the browser client sends it. */
export function postJson(url: string, query: string, headers: Record<string, string> = {}) {
  return post(url, { 'content-type': 'application/json', ...headers }, JSON.stringify({ query }));
}

/** The `Set-Cookie` header of a response, split into its name=value and attributes. */
export function setCookieOf(response: RawResponse): { value: string; attributes: string[] } | undefined {
  const header = response.headers.getSetCookie()[0];
  if (header === undefined) return undefined;
  const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
  return { value: pair.slice(pair.indexOf('=') + 1), attributes };
}

/** The refresh cookie a response set: expected present, returned as a `cookie` request header value. */
export function expectCookieSet(
  response: RawResponse,
  name = 'refresh_token',
): { cookie: string; value: string } {
  const set = setCookieOf(response);
  expect(set, 'a Set-Cookie header').toBeDefined();
  expect(response.headers.getSetCookie()[0]?.startsWith(`${name}=`)).toBe(true);
  return { cookie: `${name}=${set?.value}`, value: set?.value ?? '' };
}
