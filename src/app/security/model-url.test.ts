// Model URLs are checked against the page's connect-src before any fetch; each refusal names
// its cause (scheme, mixed content, the policy's list) instead of the browser's bare errors.
import { describe, expect, it } from 'vitest';
import { checkedModelUrl, modelUrlRefusal, shortUrl } from './model-url';
import { CSP, MODEL_SOURCES } from './policy';

const HTTP_PAGE = 'http://localhost:4873';
const HTTPS_PAGE = 'https://qac.example.org';

describe('model URLs against the page policy', () => {
  it('allows this origin, https:, and http on localhost and 127.0.0.1 (any port)', () => {
    for (const url of [
      `${HTTP_PAGE}/models/x/`,
      'https://models.example.org/m/',
      'http://localhost:8123/m/',
      'http://127.0.0.1:9/m/',
    ]) {
      expect(modelUrlRefusal(url, HTTP_PAGE), url).toBeNull();
    }
    expect(modelUrlRefusal('http://localhost:8123/m/', HTTPS_PAGE)).toBeNull();
  });

  it('refuses another host over http, naming the rule from the same list as the meta tag', () => {
    const refusal = modelUrlRefusal('http://127.0.0.2:8123/m/fashion-mnist-qac/', HTTP_PAGE);
    expect(refusal).toBe(
      "this page's Content-Security-Policy refuses http://127.0.0.2:8123/m/fashion-mnist-qac/: " +
        "connect-src allows this page's origin (http://localhost:4873), https:, " +
        'http://localhost:* and http://127.0.0.1:*; this URL is none of them',
    );
    // The meta tag's connect-src holds every model source.
    const connect = CSP.split('; ').find((d) => d.startsWith('connect-src '))!;
    for (const s of MODEL_SOURCES) expect(connect.split(' ')).toContain(s);
  });

  it('names a blocked scheme for file:, data:, javascript: and blob:', () => {
    for (const [url, scheme] of [
      ['file:///etc/passwd', 'file:'],
      ['data:application/json,{}', 'data:'],
      ['javascript:alert(1)', 'javascript:'],
      [`blob:${HTTP_PAGE}/0b1c`, 'blob:'],
    ]) {
      expect(modelUrlRefusal(url!, HTTP_PAGE), url).toMatch(
        new RegExp(`^the ${scheme} scheme is blocked for models \\(`),
      );
    }
  });

  it('names mixed content: plain http to another computer from an https page', () => {
    expect(modelUrlRefusal('http://models.example.org/m/', HTTPS_PAGE)).toBe(
      'http://models.example.org/m/ is plain http: on an https page, which the browser blocks ' +
        '(mixed content); serve the model over https:',
    );
  });

  it('names an invalid URL, and shortens a 5,000-character one', () => {
    expect(() => checkedModelUrl('http://[oops/m/', `${HTTP_PAGE}/`, HTTP_PAGE)).toThrow(
      '"http://[oops/m/" is not a valid URL (absolute, or relative to this page)',
    );
    const long = `http://127.0.0.2/${'a'.repeat(5_000)}`;
    const message = modelUrlRefusal(long, HTTP_PAGE)!;
    expect(message.length).toBeLessThan(400);
    expect(message).toContain(shortUrl(long));
    expect(shortUrl(long)).toMatch(/^http:\/\/127\.0\.0\.2\/a+… \(5,017 characters\)$/);
  });

  it('resolves a relative URL against the page', () => {
    expect(checkedModelUrl('models/x/', `${HTTP_PAGE}/sub/`, HTTP_PAGE).href).toBe(
      `${HTTP_PAGE}/sub/models/x/`,
    );
  });
});
