/**
 * Shape and model checks on schemas of our own, broken one way each: every
 * one is rejected at the right line with a message that says what is wrong.
 */
import { describe, expect, it } from 'vitest';
import { firstError, loadMemory } from '../helpers/memory-schema.js';

const broken: [string, Record<string, string>, string][] = [
  ['two kinds in one expression', { 'main.json': "{ 'enum': 'Colour', 'struct': 'Stuff', 'data': [] }" }, 'main.json:1:1: expression must have exactly one key'],
  ['name that is not a string', { 'main.json': "\n{ 'struct': true, 'data': {} }" }, "main.json:2:1: 'struct' requires a string name"],
  ['struct name not CamelCase', { 'main.json': "{ 'struct': 'lower', 'data': {} }" }, 'must use CamelCase'],
  ['command name with uppercase', { 'main.json': "{ 'command': 'Do-It' }" }, "must not use uppercase or '_'"],
  ['event name with lowercase', { 'main.json': "{ 'event': 'Boom' }" }, "must not use lowercase or '-'"],
  ['reserved q_ name', { 'main.json': "{ 'command': 'q-do' }" }, 'command has an invalid name'],
  ['type name ending in List', { 'main.json': "{ 'struct': 'ThingList', 'data': {} }" }, "should not end in 'List'"],
  ['unknown key', { 'main.json': "{ 'struct': 'Stuff', 'data': {}, 'colour': 'red' }" }, "struct has unknown key 'colour'"],
  ['missing key', { 'main.json': "{ 'enum': 'Colour' }" }, "enum misses key 'data'"],
  ['reserved member name', { 'main.json': "{ 'struct': 'Stuff', 'data': { 'has-x': 'int' } }" }, "'data' member 'has-x' uses reserved name"],
  ['bad if condition', { 'main.json': "{ 'struct': 'Stuff', 'data': {}, 'if': 'lower' }" }, "'if' condition 'lower' of struct is not a valid identifier"],
  ['flag with wrong value', { 'main.json': "{ 'command': 'c', 'boxed': false }" }, "flag 'boxed' may only use true value"],
  ['unknown member type', { 'main.json': "{ 'struct': 'Stuff',\n  'data': { 'a': 'Nope' } }" }, "main.json:1:1: member 'a' uses unknown type 'Nope'"],
  ['base that is a union', { 'main.json': "{ 'enum': 'Colour', 'data': [ 'x' ] }\n{ 'union': 'Uni', 'base': { 'e': 'Colour' }, 'discriminator': 'e', 'data': {} }\n{ 'struct': 'Stuff', 'base': 'Uni', 'data': {} }" }, "main.json:3:1: 'base' requires a struct type, union type 'Uni' isn't"],
  ['member clash through base', { 'main.json': "{ 'pragma': { 'member-name-exceptions': [ 'Stuff' ] } }\n{ 'struct': 'Beta', 'data': { 'a-b': 'int' } }\n{ 'struct': 'Stuff', 'base': 'Beta', 'data': { 'a_b': 'str' } }" }, "member 'a_b' collides with member 'a-b' of type 'Beta'"],
  ['base cycle', { 'main.json': "{ 'struct': 'Alpha', 'base': 'Beta', 'data': {} }\n{ 'struct': 'Beta', 'base': 'Alpha', 'data': {} }" }, 'object Alpha contains itself'],
  ['redefinition', { 'main.json': "{ 'struct': 'Stuff', 'data': {} }\n{ 'enum': 'Stuff', 'data': [] }" }, "main.json:2:1: 'Stuff' is already defined"],
  ['redefined built-in', { 'main.json': "{ 'struct': 'Strx', 'data': {} }\n{ 'enum': 'QType', 'data': [] }" }, "enum type 'QType' is already defined"],
  ['union branch not in enum', { 'main.json': "{ 'enum': 'Colour', 'data': [ 'x' ] }\n{ 'union': 'Uni', 'base': { 'e': 'Colour' }, 'discriminator': 'e', 'data': { 'y': 'Stuff' } }\n{ 'struct': 'Stuff', 'data': {} }" }, "branch 'y' is not a value of enum type 'Colour'"],
  ['alternate branches alike', { 'main.json': "{ 'alternate': 'Alpha', 'data': { 'a': 'str', 'b': 'int' } }" }, "branch 'b' can't be distinguished from 'a'"],
  ['command returning a string', { 'main.json': "{ 'command': 'c', 'returns': 'str' }" }, "command's 'returns' cannot take built-in type 'str'"],
  ['deprecated type', { 'main.json': "{ 'struct': 'Stuff', 'data': {}, 'features': [ 'deprecated' ] }" }, "feature 'deprecated' is not supported for types"],
  ['doc for another symbol', { 'main.json': "##\n# @other:\n##\n{ 'command': 'c' }" }, "main.json:4:1: documentation comment is for 'other'"],
  ['documented member missing', { 'main.json': "##\n# @c:\n# @nope: no\n##\n{ 'command': 'c' }" }, "main.json:1:1: documented member 'nope' does not exist"],
  ['undocumented feature', { 'main.json': "##\n# @c:\n##\n{ 'command': 'c', 'features': [ 'f' ] }" }, "main.json:4:1: feature 'f' lacks documentation"],
  ['doc not followed by definition', { 'main.json': "##\n# @c:\n##\n{ 'pragma': { 'doc-required': true } }" }, "main.json:1:1: documentation for 'c' is not followed by the definition"],
  ['documentation required', { 'main.json': "{ 'pragma': { 'doc-required': true } }\n{ 'command': 'c' }" }, 'main.json:2:1: documentation comment required'],
  ['unknown pragma', { 'main.json': "{ 'pragma': { 'colour': true } }" }, "unknown pragma 'colour'"],
  ['missing include', { 'main.json': "{ 'include': 'gone.json' }" }, "main.json:1:1: can't read include file 'gone.json': No such file or directory"],
  ['include cycle', { 'main.json': "{ 'include': 'a.json' }", 'a.json': "{ 'include': 'main.json' }" }, 'a.json:1:1: inclusion loop for main.json'],
  ['error in an included file', { 'main.json': "\n{ 'include': 'a.json' }", 'a.json': "{ 'struct': 'Stuff', 'data': { 'a': 'Nope' } }" }, "a.json:1:1: member 'a' uses unknown type 'Nope'"],
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
        "a.json:1:1: member 'a' uses unknown type 'Nope'",
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
        "main.json:1:1: member 'x' uses unknown type 'Nope'",
        "main.json:2:1: member 'y' uses unknown type 'Gone'",
      ]);
    }
  });

  it('point at the previous definition of a redefined name', () => {
    const result = loadMemory({ 'main.json': "{ 'struct': 'Stuff', 'data': {} }\n{ 'enum': 'Stuff', 'data': [] }" });
    expect(result.ok ? '' : result.errors[0]).toContain("main.json:1:1: note: previous definition");
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
