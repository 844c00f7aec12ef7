import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isPreflightedRequest, readCookie } from '../../src/browser/cookie-header.js';

describe('readCookie', () => {
  it.each<[string | undefined, string | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['refresh_token=a.b.c', 'a.b.c'],
    ['theme=dark; refresh_token=a.b.c; x=1', 'a.b.c'],
    ['xrefresh_token=evil; refresh_token=good', 'good'],
    ['refresh_token=first; refresh_token=second', 'first'],
    ['refresh_token=', undefined],
    ['refresh_token', undefined],
    ['other=refresh_token=evil', undefined],
  ])('%j -> %j', (header, expected) => {
    expect(readCookie(header, 'refresh_token')).toBe(expected);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['localhost:4000', true],
    ['LOCALHOST', true],
    ['app.localhost:3000', true],
    ['127.0.0.1:4000', true],
    ['127.1.2.3', true],
    ['[::1]:4000', true],
    ['localhost.example.com', false],
    ['127.0.0.1.nip.io', false],
    ['example.com', false],
    ['10.0.0.1:4000', false],
    ['', false],
  ])('%s -> %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('isPreflightedRequest', () => {
  const headers = (values: Record<string, string>) => (name: string) => values[name];
  it.each<[string, Record<string, string>, boolean]>([
    ['POST', { 'content-type': 'application/json' }, true],
    ['POST', { 'content-type': 'application/graphql-response+json; charset=utf-8' }, true],
    ['POST', { 'content-type': 'text/plain' }, false],
    ['POST', { 'content-type': 'TEXT/PLAIN;charset=UTF-8' }, false],
    ['POST', { 'content-type': 'application/x-www-form-urlencoded' }, false],
    ['POST', { 'content-type': 'multipart/form-data; boundary=x' }, false],
    ['POST', {}, false],
    ['POST', { 'content-type': 'text/plain', 'x-graphql-yoga-csrf': '1' }, true],
    ['POST', { 'apollo-require-preflight': 'true' }, true],
    ['GET', { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1' }, false],
  ])('%s %j -> %s', (method, values, expected) => {
    expect(isPreflightedRequest(method, headers(values))).toBe(expected);
  });
});
