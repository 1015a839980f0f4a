/**
 * The general naming rule (shape/names.ts): which names are valid, which
 * are kept for the generator (their C name starts with 'q_'), and the
 * stem a valid name leaves once its prefixes are gone.
 */
import { describe, expect, it } from 'vitest';
import { checkNameStr, NameError } from '../../generator/shape/names.js';

describe('checkNameStr', () => {
  it.each([
    ['block-commit', 'block-commit'],
    ['x-debug', 'debug'],
    ['x-q', 'q'],
    ['__org.qemu_x-thing', 'thing'],
    ['__com.example_q-thing', 'q-thing'],
    ['Q_OBJECT', 'Q_OBJECT'],
    ['qcow2', 'qcow2'],
    ['q', 'q'],
  ])('accepts %s, whose stem is %s', (name, stem) => {
    expect(checkNameStr(name, `'${name}'`)).toBe(stem);
  });

  it.each([
    ['q-unix', 'its C name starts with q_'],
    ['q_obj', 'its C name starts with q_'],
    ['1st', 'a digit first'],
    ['has space', 'a space'],
    ['', 'nothing'],
  ])('refuses %s (%s)', (name) => {
    expect(() => checkNameStr(name, `'${name}'`)).toThrow(NameError);
  });
});
