// A peggy plugin (grammar/build.mjs passes it to peggy's command line):
// a repeated character class whose characters nothing sees is matched as
// one run, by one sticky regular expression, instead of one character at
// a time; and a whole rule that is regular (see "regular rules" below) and
// whose value nothing sees is matched by one sticky regular expression
// wherever failures are silenced.
//
// Peggy matches `[^\n]*` by testing each character against the class and
// collecting it into an array, even under `$`, which keeps only the
// matched text.  Most of a schema's bytes are in such runs (doc comment
// lines, string contents, indentation), and a short-lived `qapi-ts check`
// runs the parser in V8's interpreter, where that loop costs several
// bytecodes and a regex call per character.  This plugin adds a pass
// before peggy's bytecode generation that replaces each such repetition
// with a semantic predicate doing the same in one native step: it moves
// the position past the run, reports the expectation where the run ends
// (as the character loop's last, failing test did, so that error
// positions and expected sets stay those of the plain grammar), and for
// `+` fails where the run is empty.
//
// A predicate that moves the parser's position is beyond peggy's
// documented interface: the code refers to the generated parser's own
// names (peg$currPos, peg$silentFails, peg$fail, peg$classExpectation,
// input), which is why package.json pins peggy to '~5.1.0'.  The plugin
// checks what it relies on: no class repetition may have a value anything
// sees (see walk), and the generated parser must define each name it
// uses; otherwise the build fails in one line and this file is looked at
// again.  test/project/grammar-build.test.ts parses real schemas with and
// without the plugin and requires identical results.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const installed = require('peggy/package.json').version;

/** The one-line failure for a peggy whose internals differ from those this plugin was written for. */
function peggyChanged(what) {
  return new Error(
    `grammar/text-runs.mjs was written for peggy 5.1.x (installed: ${installed}): ${what}; ` +
      "keep peggy at '~5.1.0' in package.json, or adapt this plugin to the installed peggy's parser",
  );
}

const REPETITIONS = new Set(['zero_or_more', 'one_or_more']);

/** What the predicates' code uses of the generated parser, each with the
 *  text that defines it there. */
const PARSER_NAMES = [
  ['input', 'function peg$parse(input, options)'],
  ['peg$currPos', 'let peg$currPos = '],
  ['peg$silentFails', 'let peg$silentFails = '],
  ['peg$fail', 'function peg$fail(expected)'],
  ['peg$classExpectation', 'function peg$classExpectation(parts, inverted, ignoreCase, unicode)'],
];

/** A class part (one character, or a [from, to] range) as the body of a
 *  regular expression's character class. */
function classPart(part, rule) {
  const unit = (ch) => {
    if (typeof ch !== 'string' || ch.length !== 1) {
      throw new Error(`grammar/text-runs.mjs: rule ${rule} repeats a character class with a part it does not know (${JSON.stringify(ch)}); only single UTF-16 units and ranges of them are matched as runs`);
    }
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  };
  return Array.isArray(part) ? `${unit(part[0])}-${unit(part[1])}` : unit(part);
}

/**
 * Walks an expression, telling `visit` of each node whether its value can
 * be seen.  A value is seen where a label names it (an action or a
 * predicate may use it), or where it becomes the value of something seen.
 * It is never seen under `$` (which keeps the matched text), under a
 * predicate (`&`, `!`), as an element of a sequence that an action consumes
 * or that plucks other elements (`@`), or as the expression of an action.
 * `visit` returns the node to put in place of the one it was given.
 */
function walk(node, discarded, visit) {
  const replaced = visit(node, discarded);
  if (replaced !== node) return replaced;
  const child = (key, hidden) => {
    node[key] = walk(node[key], hidden, visit);
  };
  switch (node.type) {
    case 'labeled':
      child('expression', false);
      break;
    case 'action':
    case 'text':
    case 'simple_and':
    case 'simple_not':
      child('expression', true);
      break;
    case 'sequence': {
      const plucks = node.elements.some((e) => e.type === 'labeled' && e.pick);
      node.elements = node.elements.map((e) => walk(e, discarded || (plucks && !(e.type === 'labeled' && e.pick)), visit));
      break;
    }
    case 'choice':
      node.alternatives = node.alternatives.map((a) => walk(a, discarded, visit));
      break;
    default:
      if (node.expression) child('expression', discarded);
  }
  return node;
}

/** The rules whose value can be seen: the start rules, and every rule
 *  referred to where a value is seen in a rule whose value is. */
function seenRules(ast, startRules) {
  const byName = new Map(ast.rules.map((r) => [r.name, r]));
  const seen = new Set(startRules.includes('*') ? byName.keys() : startRules);
  const pending = [...seen];
  while (pending.length > 0) {
    const rule = byName.get(pending.pop());
    if (rule === undefined) continue;
    walk(rule.expression, false, (node, discarded) => {
      if (node.type === 'rule_ref' && !discarded && !seen.has(node.name)) {
        seen.add(node.name);
        pending.push(node.name);
      }
      return node;
    });
  }
  return seen;
}

function runPredicate(node, rule, decls) {
  const cls = node.expression;
  if (cls.unicode) throw new Error(`grammar/text-runs.mjs: rule ${rule} repeats a unicode character class, which it does not match as a run`);
  const body = cls.parts.map((p) => classPart(p, rule)).join('');
  const n = decls.length / 2;
  const regex = `peg$textRun${n}`;
  const expected = `peg$textRunExpected${n}`;
  decls.push(
    `const ${regex} = /[${cls.inverted ? '^' : ''}${body}]*/y${cls.ignoreCase ? 'i' : ''};`,
    `const ${expected} = peg$classExpectation(${JSON.stringify(cls.parts)}, ${cls.inverted}, ${cls.ignoreCase}, false);`,
  );
  // The character loop ends with a failed test where the run ends, which
  // records the class as expected there unless failures are silenced.
  const advance = `${regex}.lastIndex = peg$currPos; ${regex}.test(input); peg$currPos = ${regex}.lastIndex; if (peg$silentFails === 0) peg$fail(${expected});`;
  const code = node.type === 'one_or_more' ? `const start = peg$currPos; ${advance} return peg$currPos > start;` : `${advance} return true;`;
  return {
    type: 'semantic_and',
    code,
    codeLocation: node.location,
    location: node.location,
    // What the match-result inference found for the repetition: `*` always
    // matches, `+` sometimes.
    match: node.match,
  };
}

function matchClassRuns(ast, options) {
  const decls = [];
  const seen = seenRules(ast, options.allowedStartRules ?? [ast.rules[0].name]);
  for (const rule of ast.rules) {
    rule.expression = walk(rule.expression, !seen.has(rule.name), (node, discarded) => {
      if (!REPETITIONS.has(node.type) || node.expression?.type !== 'class') return node;
      if (!discarded) {
        throw new Error(`grammar/text-runs.mjs: rule ${rule.name} repeats a character class whose characters would be seen; wrap it in '$' (or leave it unlabeled before an action)`);
      }
      return runPredicate(node, rule.name, decls);
    });
  }
  if (decls.length === 0) return;
  const init = { type: 'initializer', code: `\n  // grammar/text-runs.mjs: the runs' regexes and expectations.\n  ${decls.join('\n  ')}\n` };
  if (ast.initializer === undefined || ast.initializer === null) ast.initializer = init;
  else if (Array.isArray(ast.initializer)) ast.initializer.push(init);
  else ast.initializer = [ast.initializer, init];
}

// ---- regular rules ------------------------------------------------------
//
// A rule made only of literals, classes, '.', sequences, choices,
// repetitions and lookaheads (`&`, `!`), whose value nothing sees, matches
// a regular language, and one sticky regular expression can match it in
// one native step.  The expression keeps the PEG's meaning exactly when
// every choice and repetition is atomic, as PEG's are (once matched, never
// given back): `(?=(X))\N` in a JavaScript regular expression.  What the
// expression cannot do is record what was expected where the rule failed;
// so the regular expression serves only while failures are silenced (inside
// a named rule or a lookahead), and the rule's own code still runs where
// they are not:
//
//   Rule = &{ silenced: match by the regex } / &{ not silenced } Original
//
// Where failures are silenced, the first predicate answers (and the second
// refuses, so a failed match is the rule's failure); elsewhere the original
// expression runs, reporting its expectations as before.

/** The regular expression of `node` (a rule's expression), or null where it
 *  is not regular.  `groups` counts capturing groups; `rules` gives the
 *  expression of a rule by name, `inside` the rules being inlined. */
function regexOf(node, rules, inside, groups, rule) {
  const of = (n) => regexOf(n, rules, inside, groups, rule);
  // The group's number is taken before its body's, as JavaScript numbers
  // groups by where they open.
  const atomic = (body) => {
    const n = ++groups.count;
    const inner = body();
    return inner === null ? null : `(?=(${inner}))\\${n}`;
  };
  switch (node.type) {
    case 'literal':
      if (node.ignoreCase) return null;
      return [...node.value].map((ch) => classPart(ch, rule)).join('');
    case 'class':
      if (node.ignoreCase || node.unicode) return null;
      return `[${node.inverted ? '^' : ''}${node.parts.map((p) => classPart(p, rule)).join('')}]`;
    case 'any':
      return '[^]';
    case 'text':
    case 'group':
    case 'labeled':
    case 'named':
      return of(node.expression);
    case 'sequence': {
      const parts = node.elements.map(of);
      return parts.includes(null) ? null : parts.map((p) => `(?:${p})`).join('');
    }
    case 'choice':
      return atomic(() => {
        const parts = node.alternatives.map(of);
        return parts.includes(null) ? null : parts.join('|');
      });
    case 'optional':
    case 'zero_or_more':
    case 'one_or_more': {
      const suffix = { optional: '?', zero_or_more: '*', one_or_more: '+' }[node.type];
      return atomic(() => {
        const inner = of(node.expression);
        return inner === null ? null : `(?:${inner})${suffix}`;
      });
    }
    case 'simple_and':
    case 'simple_not': {
      const inner = of(node.expression);
      return inner === null ? null : `(?${node.type === 'simple_and' ? '=' : '!'}${inner})`;
    }
    case 'rule_ref': {
      const target = rules.get(node.name);
      if (target === undefined || inside.has(node.name)) return null;
      inside.add(node.name);
      const inner = regexOf(target, rules, inside, groups, node.name);
      inside.delete(node.name);
      return inner;
    }
    default:
      // Actions, semantic predicates, bounded repetitions, imported rules.
      return null;
  }
}

function matchRegularRules(ast, options) {
  const startRules = options.allowedStartRules ?? [ast.rules[0].name];
  const seen = seenRules(ast, startRules);
  const rules = new Map(ast.rules.map((r) => [r.name, r.expression]));
  const decls = [];
  for (const rule of ast.rules) {
    if (seen.has(rule.name)) continue;
    const named = rule.expression.type === 'named' ? rule.expression : null;
    const body = named === null ? rule.expression : named.expression;
    const groups = { count: 0 };
    const regex = regexOf(body, rules, new Set([rule.name]), groups, rule.name);
    if (regex === null) continue;
    const name = `peg$regularRule${decls.length}`;
    decls.push(`const ${name} = /${regex}/y;`);
    const location = body.location;
    const fast = {
      type: 'semantic_and',
      code: `if (peg$silentFails === 0) return false; ${name}.lastIndex = peg$currPos; if (!${name}.test(input)) return false; peg$currPos = ${name}.lastIndex; return true;`,
      codeLocation: location,
      location,
      match: 0,
    };
    const loud = {
      type: 'sequence',
      elements: [{ type: 'semantic_and', code: 'return peg$silentFails === 0;', codeLocation: location, location, match: 0 }, body],
      location,
      match: 0,
    };
    const replaced = { type: 'choice', alternatives: [fast, loud], location, match: 0 };
    if (named === null) rule.expression = replaced;
    else named.expression = replaced;
  }
  if (decls.length === 0) return;
  const init = { type: 'initializer', code: `\n  // grammar/text-runs.mjs: the regular rules' expressions.\n  ${decls.join('\n  ')}\n` };
  if (ast.initializer === undefined || ast.initializer === null) ast.initializer = init;
  else if (Array.isArray(ast.initializer)) ast.initializer.push(init);
  else ast.initializer = [ast.initializer, init];
}

/** After peggy has written the parser: does it define what the runs use? */
function checkParserNames(ast) {
  const code = ast.code?.toString();
  if (typeof code !== 'string' || !code.includes('peg$textRun')) return;
  const missing = PARSER_NAMES.filter(([, definition]) => !code.includes(definition)).map(([name]) => name);
  if (missing.length > 0) throw peggyChanged(`the generated parser does not define ${missing.join(', ')} as the runs expect`);
}

export function use(config) {
  const generate = config.passes.generate;
  const bytecode = generate.findIndex((pass) => pass.name === 'generateBytecode');
  if (bytecode < 0) throw peggyChanged('its generate stage has no generateBytecode pass to run before');
  generate.splice(bytecode, 0, matchRegularRules, matchClassRuns);
  generate.push(checkParserNames);
}
