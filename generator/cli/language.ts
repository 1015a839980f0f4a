/**
 * The flags that choose the schema language, declared once for every verb
 * that reads a schema: `--qemu-version X.Y` and `--legacy` (QEMU 1.3's 2012
 * dialect); diff's `--old-qemu-version`/`--new-qemu-version`, one side's
 * language each.  Their help comes from the language table
 * (source/language.ts).  A value qapi-ts does not know, or both flags at
 * once, is a usage error.
 */
import type { Command } from 'commander';
import { DEFAULT_QEMU_VERSION, LanguageLevel, LanguageSelectionError, QEMU_VERSIONS, selectLanguage } from '../source/language.js';
import { CliExit, EXIT } from './io.js';

export interface LanguageFlags {
  legacy?: boolean;
  qemuVersion?: string;
}

const LEGACY = selectLanguage({ legacy: true });
const MODERN = QEMU_VERSIONS.filter((v) => v !== LEGACY.version);
const RELEASES = `${MODERN[0]} to ${MODERN[MODERN.length - 1]}`;

/** Adds `--qemu-version` and `--legacy` to a verb. */
export function addLanguageOptions(command: Command): Command {
  return command
    .option('--qemu-version <X.Y>', `read the schema in the language of this QEMU release (${RELEASES}; default ${DEFAULT_QEMU_VERSION})`)
    .option('--legacy', `read the schema in ${LEGACY.describe()}`);
}

/** Adds diff's flag for one side's language, `--SIDE-qemu-version`. */
export function addSideLanguageOption(command: Command, side: 'old' | 'new'): Command {
  return command.option(
    `--${side}-qemu-version <X.Y>`,
    `the ${side} schema's language, as of this QEMU release (${RELEASES}, or ${LEGACY.version} for ${LEGACY.describe()}; default ${DEFAULT_QEMU_VERSION})`,
  );
}

/** The language one side of a diff names: its release, or the 2012 dialect's. */
export function sideLanguage(version: string | undefined): LanguageFlags {
  if (version === undefined) return {};
  return version === LEGACY.version ? { legacy: true } : { qemuVersion: version };
}

/** How a verb spells the flag that selects a language, for hints. */
export type FlagSpelling = (level: LanguageLevel) => string;

/** diff's spelling for one side. */
export function sideSpelling(side: 'old' | 'new'): FlagSpelling {
  return (level) => `--${side}-qemu-version ${level.version}`;
}

/** Checks the flags; a bad choice ends the run as a usage error. */
export function checkLanguageFlags(flags: LanguageFlags): { legacy: boolean; qemuVersion: string | undefined } {
  try {
    selectLanguage(flags);
  } catch (e) {
    if (e instanceof LanguageSelectionError) throw new CliExit(EXIT.usage, `qapi-ts: ${e.message}`);
    throw e;
  }
  return { legacy: flags.legacy ?? false, qemuVersion: flags.qemuVersion };
}
