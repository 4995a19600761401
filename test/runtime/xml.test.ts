import { describe, expect, it } from 'vitest';
import { parseXmlToDyn, toXmlText } from '../../runtime/xml.js';
import { toPlain } from '../../runtime/values.js';

const limits = { maxDynamicBytes: 32768 };

describe('XML <-> dynamic objects', () => {
  it('maps the root, attributes, repeated elements and mixed text', () => {
    const o = parseXmlToDyn('<?xml version="1.0"?><order id="7"><item>a</item><item>b</item><note lang="en">hi &amp; bye</note></order>');
    expect(toPlain(o)).toEqual({ order: { id: '7', item: ['a', 'b'], note: { lang: 'en', text: 'hi & bye' } } });
  });

  it('keeps values as text and empty elements as ""', () => {
    expect(toPlain(parseXmlToDyn('<r><n>42</n><e/></r>'))).toEqual({ r: { n: '42', e: '' } });
  });

  it('round-trips elements through asxml', () => {
    const text = '<r><a>1</a><list><i>x</i><i>y</i></list><t>a&lt;b</t></r>';
    expect(toXmlText(parseXmlToDyn(text), limits)).toBe(text);
  });

  it.each([
    ['<r><a></r>', '1:7'],
    ['<r>\n<b x=1></b></r>', '2:'],
    ['', '1:1'],
  ])('reports malformed XML %j with its position %s (SNIP3008)', (text, pos) => {
    let caught: { code?: string; message?: string } = {};
    try {
      parseXmlToDyn(text);
    } catch (e) {
      caught = e as typeof caught;
    }
    expect(caught.code).toBe('SNIP3008');
    expect(caught.message).toContain(`at ${pos}`);
  });

  it('sanitises member names that are not XML names', () => {
    const o = parseXmlToDyn('<r><a>1</a></r>');
    (o.members.get('r') as never as { members: Map<string, string> }).members.set('1 bad', 'v');
    expect(toXmlText(o, limits)).toBe('<r><a>1</a><_1_bad>v</_1_bad></r>');
  });
});
