/**
 * Shape and model checks on schemas of our own, broken one way each: every
 * one is rejected at the right line with a message that says what is wrong.
 */
import { describe, expect, it } from 'vitest';
import { firstError, loadMemory } from '../helpers/memory-schema.js';

const broken: [string, Record<string, string>, string][] = [
  ['two kinds in one expression', { 'main.json': "{ 'enum': 'Colour', 'struct': 'Stuff', 'data': [] }" }, 'main.json:1:1: a definition needs exactly one of the keys'],
  ['name that is not a string', { 'main.json': "\n{ 'struct': true, 'data': {} }" }, "main.json:2:1: 'struct' must be named by a string"],
  ['struct name not CamelCase', { 'main.json': "{ 'struct': 'lower', 'data': {} }" }, 'must be in CamelCase'],
  ['command name with uppercase', { 'main.json': "{ 'command': 'Do-It' }" }, "must be in lower case with '-' between words"],
  ['event name with lowercase', { 'main.json': "{ 'event': 'Boom' }" }, "must be in capitals with '_' between words"],
  ['reserved q_ name', { 'main.json': "{ 'command': 'q-do' }" }, 'command is not a valid name'],
  ['type name ending in List', { 'main.json': "{ 'struct': 'ThingList', 'data': {} }" }, "may not end in 'List'"],
  ['unknown key', { 'main.json': "{ 'struct': 'Stuff', 'data': {}, 'colour': 'red' }" }, "struct has the unexpected key 'colour'"],
  ['missing key', { 'main.json': "{ 'enum': 'Colour' }" }, "enum needs the key 'data'"],
  ['reserved member name', { 'main.json': "{ 'struct': 'Stuff', 'data': { 'has-x': 'int' } }" }, "'data' member 'has-x' has a reserved name"],
  ['bad if condition', { 'main.json': "{ 'struct': 'Stuff', 'data': {}, 'if': 'lower' }" }, "the condition 'lower' in the 'if' of struct is not a configuration symbol"],
  ['flag with wrong value', { 'main.json': "{ 'command': 'c', 'boxed': false }" }, "'boxed' can only be set to true"],
  ['unknown member type', { 'main.json': "{ 'struct': 'Stuff',\n  'data': { 'a': 'Nope' } }" }, "main.json:1:1: member 'a' refers to the type 'Nope', which is not defined"],
  ['base that is a union', { 'main.json': "{ 'enum': 'Colour', 'data': [ 'x' ] }\n{ 'union': 'Uni', 'base': { 'e': 'Colour' }, 'discriminator': 'e', 'data': {} }\n{ 'struct': 'Stuff', 'base': 'Uni', 'data': {} }" }, "main.json:3:1: the base must be a struct type, and union type 'Uni' is not one"],
  ['member clash through base', { 'main.json': "{ 'pragma': { 'member-name-exceptions': [ 'Stuff' ] } }\n{ 'struct': 'Beta', 'data': { 'a-b': 'int' } }\n{ 'struct': 'Stuff', 'base': 'Beta', 'data': { 'a_b': 'str' } }" }, "member 'a_b' clashes with member 'a-b' of type 'Beta'"],
  ['base cycle', { 'main.json': "{ 'struct': 'Alpha', 'base': 'Beta', 'data': {} }\n{ 'struct': 'Beta', 'base': 'Alpha', 'data': {} }" }, 'the object type Alpha would contain itself'],
  ['redefinition', { 'main.json': "{ 'struct': 'Stuff', 'data': {} }\n{ 'enum': 'Stuff', 'data': [] }" }, "main.json:2:1: 'Stuff' is defined a second time"],
  ['redefined built-in', { 'main.json': "{ 'struct': 'Strx', 'data': {} }\n{ 'enum': 'QType', 'data': [] }" }, "'QType' is the name of the enum type 'QType', which cannot be defined again"],
  ['union branch not in enum', { 'main.json': "{ 'enum': 'Colour', 'data': [ 'x' ] }\n{ 'union': 'Uni', 'base': { 'e': 'Colour' }, 'discriminator': 'e', 'data': { 'y': 'Stuff' } }\n{ 'struct': 'Stuff', 'data': {} }" }, "the branch 'y' matches no value of enum type 'Colour'"],
  ['alternate branches alike', { 'main.json': "{ 'alternate': 'Alpha', 'data': { 'a': 'str', 'b': 'int' } }" }, "branch 'b' and the branch 'a' look alike on the wire"],
  ['command returning a string', { 'main.json': "{ 'command': 'c', 'returns': 'str' }" }, "a command may not return built-in type 'str'"],
  ['deprecated type', { 'main.json': "{ 'struct': 'Stuff', 'data': {}, 'features': [ 'deprecated' ] }" }, "a type cannot have the feature 'deprecated'"],
  ['doc for another symbol', { 'main.json': "##\n# @other:\n##\n{ 'command': 'c' }" }, "main.json:4:1: the documentation comment above documents 'other'"],
  ['documented member missing', { 'main.json': "##\n# @c:\n# @nope: no\n##\n{ 'command': 'c' }" }, "main.json:3:1: the comment describes member 'nope' that 'c' does not have"],
  ['undocumented feature', { 'main.json': "##\n# @c:\n##\n{ 'command': 'c', 'features': [ 'f' ] }" }, "main.json:4:1: the feature 'f' is not documented"],
  ['doc not followed by definition', { 'main.json': "##\n# @c:\n##\n{ 'pragma': { 'doc-required': true } }" }, "main.json:1:1: the comment documenting 'c' must be followed directly by that definition"],
  ['documentation required', { 'main.json': "{ 'pragma': { 'doc-required': true } }\n{ 'command': 'c' }" }, 'main.json:2:1: this definition needs a documentation comment'],
  ['unknown pragma', { 'main.json': "{ 'pragma': { 'colour': true } }" }, "there is no pragma 'colour'"],
  ['missing include', { 'main.json': "{ 'include': 'gone.json' }" }, "main.json:1:1: cannot read the included file 'gone.json': No such file or directory"],
  ['include cycle', { 'main.json': "{ 'include': 'a.json' }", 'a.json': "{ 'include': 'main.json' }" }, "a.json:1:1: including 'main.json' here would loop"],
  ['error in an included file', { 'main.json': "\n{ 'include': 'a.json' }", 'a.json': "{ 'struct': 'Stuff', 'data': { 'a': 'Nope' } }" }, "a.json:1:1: member 'a' refers to the type 'Nope', which is not defined"],
];

describe.each(broken)('broken schema: %s', (_name, files, want) => {
  it('is rejected with a located message', () => {
    expect(firstError(files)).toContain(want);
  });
});

describe('error reports', () => {
  it('name the include chain and the definition', () => {
    const result = loadMemory({
      'main.json': "\n{ 'include': 'a.json' }",
      'a.json': "{ 'struct': 'Stuff', 'data': { 'a': 'Nope' } }",
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors[0]!.split('\n')).toEqual([
        'In file included from main.json:2:',
        "a.json: In struct 'Stuff':",
        "a.json:1:1: member 'a' refers to the type 'Nope', which is not defined",
      ]);
    }
  });

  it('list every broken definition, not just the first', () => {
    const result = loadMemory({
      'main.json': "{ 'struct': 'Alpha', 'data': { 'x': 'Nope' } }\n{ 'struct': 'Beta', 'data': { 'y': 'Gone' } }\n{ 'command': 'Bad' }",
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(1);
      const all = loadMemory({
        'main.json': "{ 'struct': 'Alpha', 'data': { 'x': 'Nope' } }\n{ 'struct': 'Beta', 'data': { 'y': 'Gone' } }",
      });
      expect(all.ok ? [] : all.errors.map((e) => e.split('\n').pop())).toEqual([
        "main.json:1:1: member 'x' refers to the type 'Nope', which is not defined",
        "main.json:2:1: member 'y' refers to the type 'Gone', which is not defined",
      ]);
    }
  });

  it('point at the previous definition of a redefined name', () => {
    const result = loadMemory({ 'main.json': "{ 'struct': 'Stuff', 'data': {} }\n{ 'enum': 'Stuff', 'data': [] }" });
    expect(result.ok ? '' : result.errors[0]).toContain("main.json:1:1: note: the first definition is here");
  });
});

describe('notes', () => {
  const cases: [string, string, string][] = [
    ['a bad member name', "{ 'struct': 'Paint',\n  'data': { 'name': 'str',\n            'Colour': 'str' } }", 'main.json:3:13'],
    ['an unknown member type', "{ 'struct': 'Paint',\n  'data': { 'colour': 'Color' } }", 'main.json:2:13'],
    ['a clashing member', "{ 'pragma': { 'member-name-exceptions': [ 'Paint' ] } }\n{ 'struct': 'Paint',\n  'data': { 'a-b': 'str',\n            'a_b': 'str' } }", 'main.json:4:13'],
    ['a bad union branch', "{ 'enum': 'Colour', 'data': [ 'red' ] }\n{ 'union': 'Paint', 'base': { 'c': 'Colour' }, 'discriminator': 'c',\n  'data': { 'blue': 'Paint' } }", 'main.json:3:13'],
    ['a bad enum value', "{ 'enum': 'Colour',\n  'data': [ 'red', 'Blue' ] }", 'main.json:2:20'],
  ];
  it.each(cases)('point at %s', (_name, text, where) => {
    const result = loadMemory({ 'main.json': text });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toContain(`${where}: note: the part in question is here`);
  });

  it('are left out when the part is on the definition line', () => {
    const result = loadMemory({ 'main.json': "{ 'struct': 'Paint', 'data': { 'colour': 'Color' } }" });
    expect(result.ok ? '' : result.errors[0]).not.toContain('note:');
  });
});

describe('accepted schemas', () => {
  it('build a model with implicit types named as QEMU names them', () => {
    const result = loadMemory({
      'main.json': "{ 'command': 'do-it', 'data': { 'n': ['int'] }, 'returns': 'Out' }\n{ 'struct': 'Out', 'data': {} }",
    });
    expect(result.ok).toBe(true);
    if (result.ok) {
      const names = result.loaded.model.modules[1]!.entities.map((e) => `${e.kind} ${e.name}`);
      expect(names).toEqual(['object q_obj_do-it-arg', 'command do-it', 'object Out']);
      expect(result.loaded.model.lookupType('intList')?.kind).toBe('array');
    }
  });
});
