/**
 * Reading query-qmp-schema replies: both capture shapes are accepted, and
 * every malformed part is reported at its JSON path, all at once, as a
 * SchemaError (never a crash, never a half-built model).
 */
import { describe, expect, it } from 'vitest';
import { modelFromIntrospection, parseCapture } from '../../generator/introspect/index.js';
import { formatDiagnostic, SchemaError } from '../../generator/source/diagnostics.js';

const EMPTY = { name: '0', 'meta-type': 'object', members: [] };
const STR = { name: 'str', 'meta-type': 'builtin', 'json-type': 'string' };
const cmd = (name: string, arg = '0', ret = '0'): object => ({ name, 'meta-type': 'command', 'arg-type': arg, 'ret-type': ret });

/** The messages a capture's problems produce, or [] when it is accepted. */
function problems(schema: unknown): string[] {
  try {
    modelFromIntrospection(parseCapture(JSON.stringify(schema), 'cap.json'));
    return [];
  } catch (e) {
    if (!(e instanceof SchemaError)) throw e;
    return e.diagnostics.map((d) => d.message);
  }
}

describe('capture shapes', () => {
  it('accepts the bare reply and the { greeting, version, schema } capture', () => {
    const schema = [cmd('stop'), EMPTY];
    const bare = parseCapture(JSON.stringify(schema), 'bare.json');
    expect(bare.version).toBeNull();
    expect(bare.entities.map((e) => e.name)).toEqual(['stop', '0']);
    const version = { qemu: { major: 7, minor: 2, micro: 22 }, package: 'Debian' };
    const full = parseCapture(JSON.stringify({ greeting: { QMP: { version, capabilities: [] } }, version, schema }), 'full.json');
    expect(full.version).toEqual({ major: 7, minor: 2, micro: 22, package: 'Debian' });
  });

  it("takes the version from the greeting when query-version's reply is absent", () => {
    const version = { qemu: { major: 10, minor: 0, micro: 2 }, package: '' };
    const c = parseCapture(JSON.stringify({ greeting: { QMP: { version, capabilities: [] } }, schema: [cmd('stop'), EMPTY] }), 'g.json');
    expect(c.version).toMatchObject({ major: 10, minor: 0, micro: 2 });
  });

  it("reads pre-6.2 enums ('values' only) and 6.2+ enums ('members' with features) alike", () => {
    const members = { name: '1', 'meta-type': 'enum', members: [{ name: 'a' }, { name: 'b', features: ['deprecated'] }], values: ['a', 'b'] };
    const values = { name: '1', 'meta-type': 'enum', values: ['a', 'b'] };
    for (const e of [members, values]) {
      const arg = { name: '2', 'meta-type': 'object', members: [{ name: 'x', type: '1' }] };
      const { model } = modelFromIntrospection(parseCapture(JSON.stringify([cmd('c', '2'), EMPTY, arg, e]), 'e.json'));
      const t = model.lookupEntity('CArgumentsX');
      expect(t?.kind === 'enum' && t.members.map((m) => [m.name, m.features.map((f) => f.name)])).toEqual([
        ['a', []],
        ['b', e === members ? ['deprecated'] : []],
      ]);
    }
  });
});

describe.each([
  // Located as a file's errors are, the same under every Node release.
  { given: 'not JSON', text: '{"schema": [', want: ["cap.json:1:13: not valid JSON: Array item or end of array ']' expected but reached end of input"] },
  { given: 'a trailing comma', text: '{"schema": [\n  {},\n]}', want: ["cap.json:3:1: not valid JSON: Array item expected but got ']' (JSON allows no comma before a closing bracket)"] },
  { given: 'a number', text: '42', want: ["cap.json: expected query-qmp-schema's reply or an object holding it as 'schema', got 42"] },
  { given: 'no schema', text: '{"version": {}}', want: ["cap.json: $: no 'schema'"] },
])('unreadable capture: $given', ({ text, want }) => {
  it('is refused with what is wrong', () => {
    let error: unknown;
    try {
      parseCapture(text, 'cap.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaError);
    const messages = (error as SchemaError).diagnostics.map((d) => formatDiagnostic(d));
    want.forEach((w, i) => expect(messages[i]).toContain(w));
  });
});

describe.each([
  {
    given: 'an entry that is no object',
    schema: [cmd('stop'), EMPTY, 7],
    want: ['cap.json: [2]: expected an object, got 7'],
  },
  {
    given: 'an unknown meta-type',
    schema: [cmd('stop'), EMPTY, { name: 'x', 'meta-type': 'struct' }],
    want: ['cap.json: [2].meta-type: expected one of builtin, enum, array, object, alternate, command, event, got "struct"'],
  },
  {
    given: 'a member without a type, and an unknown key',
    schema: [cmd('c', '1'), EMPTY, { name: '1', 'meta-type': 'object', members: [{ name: 'a' }], extra: true }],
    want: ['cap.json: [2].members[0].type: missing (a non-empty string)', 'cap.json: [2].extra: unexpected key'],
  },
  {
    given: 'a reference to an undefined type',
    schema: [cmd('c', '1'), EMPTY, { name: '1', 'meta-type': 'object', members: [{ name: 'a', type: '99' }] }],
    want: ["cap.json: [2].members[0].type: refers to the type '99', which the reply does not define"],
  },
  {
    given: 'a command whose arguments are no object',
    schema: [cmd('c', 'str'), EMPTY, STR],
    want: ["cap.json: [0].arg-type: a command's arguments must be an object type, not the built-in 'str'"],
  },
  {
    given: 'a union tag that is no member',
    schema: [cmd('c', '1'), EMPTY, { name: '1', 'meta-type': 'object', members: [], tag: 't', variants: [] }],
    want: ["cap.json: [2].tag: the tag 't' is not one of the members"],
  },
  {
    given: 'a variant case that is no value of the tag enum, and a variant that is no object',
    schema: [
      cmd('c', '1'),
      EMPTY,
      STR,
      { name: '2', 'meta-type': 'enum', values: ['a'] },
      { name: '1', 'meta-type': 'object', members: [{ name: 't', type: '2' }], tag: 't', variants: [{ case: 'b', type: '0' }, { case: 'a', type: 'str' }] },
    ],
    want: ["cap.json: [4].variants[0].case: 'b' is not a value of the tag's enum", "cap.json: [4].variants[1].type: a variant must be an object type, not the built-in 'str'"],
  },
  {
    given: 'an alternate that cannot tell its branches apart',
    schema: [
      cmd('c', '1'),
      EMPTY,
      STR,
      { name: '2', 'meta-type': 'enum', values: ['a'] },
      { name: '3', 'meta-type': 'alternate', members: [{ type: 'str' }, { type: '2' }] },
      { name: '1', 'meta-type': 'object', members: [{ name: 'x', type: '3' }] },
    ],
    want: ['cap.json: [4].members[1].type: this branch and branch 0 both arrive as a JSON string'],
  },
  {
    given: 'the same command twice',
    schema: [cmd('stop'), cmd('stop'), EMPTY],
    want: ["cap.json: [1]: the command 'stop' is reported twice"],
  },
])('malformed reply: $given', ({ schema, want }) => {
  it('is refused, each problem at its JSON path', () => {
    const got = problems(schema);
    expect(got.length).toBeGreaterThan(0);
    for (const w of want) expect(got.some((m) => m.startsWith(w)), `${w}\nin:\n${got.join('\n')}`).toBe(true);
  });
});
