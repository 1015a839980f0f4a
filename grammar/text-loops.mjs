// A peggy plugin (grammar/build.mjs passes it to peggy's command line):
// loops that repeat one character class keep no array where nothing sees it.
//
// Peggy collects every character a repeated character class matches into an
// array, even under `$`, which keeps only the matched text.  In a
// short-lived `qapi-ts check` most of the parser runs in V8's interpreter,
// where those arrays (one slot per character of every doc comment) cost
// about a tenth of the front end's work.  This plugin adds a pass between
// peggy's bytecode generation and its JavaScript generation that turns the
// APPEND of those loops into a POP, so the array stays empty.
//
// It relies on peggy's bytecode for a repeated class (pinned in
// package.json: peggy ~5.1.0), and checks what it relies on: no class
// repetition in the grammar may have a value anything sees (see
// classLoops), and the number of loops it rewrites must equal the number
// the grammar's class repetitions make peggy emit; otherwise the build
// fails and this file is looked at again.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const op = require('peggy/lib/compiler/opcodes.js');
const installed = require('peggy/package.json').version;

/** The one-line failure for a peggy whose internals differ from those this plugin was written for. */
function peggyChanged(what) {
  return new Error(
    `grammar/text-loops.mjs was written for peggy 5.1.x (installed: ${installed}): ${what}; ` +
      "keep peggy at '~5.1.0' in package.json, or adapt this plugin to the installed peggy's bytecode",
  );
}

const REPETITIONS = new Set(['zero_or_more', 'one_or_more']);

/**
 * How many class loops peggy emits for a rule, failing on a class
 * repetition whose value could be seen.  A value is never seen under `$`,
 * under a predicate (`&`, `!`), or as an unlabeled element of a sequence
 * that an action consumes (actions see labeled elements only).  Peggy emits
 * a repetition's element twice (once before its loop, once inside), so each
 * enclosing repetition doubles the loops within.
 */
function classLoops(node, discarded, where) {
  if (node === null || typeof node !== 'object') return 0;
  if (REPETITIONS.has(node.type) && node.expression?.type === 'class') {
    if (!discarded) {
      throw new Error(`grammar/text-loops.mjs: rule ${where} repeats a character class whose characters would be seen; wrap it in '$' (or leave it unlabeled before an action)`);
    }
    return 1;
  }
  let n = 0;
  if (node.type === 'action' && node.expression.type === 'sequence') {
    for (const element of node.expression.elements) {
      n += classLoops(element, discarded || element.type !== 'labeled', where);
    }
  } else {
    const hides = node.type === 'text' || node.type === 'simple_and' || node.type === 'simple_not';
    for (const key of ['expression', 'alternatives', 'elements']) {
      const child = node[key];
      if (Array.isArray(child)) for (const c of child) n += classLoops(c, discarded || hides, where);
      else if (child) n += classLoops(child, discarded || hides, where);
    }
  }
  return REPETITIONS.has(node.type) ? 2 * n : n;
}

/** The loop peggy emits for a repeated class: WHILE_NOT_ERROR over APPEND
 *  and the class match (MATCH_CHAR_CLASS c, then ACCEPT_N 1, else FAIL e). */
function isClassLoop(bc, i) {
  return (
    bc[i] === op.WHILE_NOT_ERROR &&
    bc[i + 1] === 9 &&
    bc[i + 2] === op.APPEND &&
    bc[i + 3] === op.MATCH_CHAR_CLASS &&
    bc[i + 5] === 2 &&
    bc[i + 6] === 2 &&
    bc[i + 7] === op.ACCEPT_N &&
    bc[i + 8] === 1 &&
    bc[i + 9] === op.FAIL
  );
}

function discardTextLoopArrays(ast) {
  let expected = 0;
  let rewritten = 0;
  for (const rule of ast.rules) {
    expected += classLoops(rule.expression, false, rule.name);
    const bc = rule.bytecode;
    for (let i = 0; i < bc.length; i++) {
      if (isClassLoop(bc, i)) {
        // POP takes the matched character off the stack, as APPEND did,
        // without adding it to the array below.
        bc[i + 2] = op.POP;
        rewritten++;
        i += 10;
      }
    }
  }
  if (rewritten !== expected) {
    throw peggyChanged(`found ${rewritten} character-class loops in its bytecode where the grammar gives ${expected}`);
  }
}

export function use(config) {
  const generate = config.passes.generate;
  const js = generate.findIndex((pass) => pass.name === 'generateJS');
  if (js < 1) throw peggyChanged("its generate stage has no generateJS pass to run before");
  generate.splice(js, 0, discardTextLoopArrays);
}
