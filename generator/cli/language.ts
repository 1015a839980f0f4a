/**
 * The flags that choose the schema language, declared once for every verb
 * that reads a schema: `--qemu-version X.Y` and `--legacy` (QEMU 1.3's 2012
 * dialect); diff's `--old-qemu-version`/`--new-qemu-version`, one side's
 * language each.  Their help comes from the language table
 * (source/language.ts).  A value qapi-ts does not know, or both flags at
 * once, is a usage error.
 */
import type { Command } from 'commander';
import {
  DEFAULT_QEMU_RELEASE,
  describeRelease,
  LanguageSelectionError,
  LEGACY_RELEASE,
  releaseFlags,
  selectLanguage,
  VERSIONED_RELEASES,
  type QemuRelease,
} from '../source/language.js';
import { CliExit, EXIT } from './io.js';

export interface LanguageFlags {
  legacy?: boolean;
  qemuVersion?: string;
}

const RELEASES = `${VERSIONED_RELEASES[0]} to ${DEFAULT_QEMU_RELEASE}`;

/** Adds `--qemu-version` and `--legacy` to a verb. */
export function addLanguageOptions(command: Command): Command {
  return command
    .option('--qemu-version <X.Y>', `read the schema in the language of this QEMU release (${RELEASES}; default ${DEFAULT_QEMU_RELEASE})`)
    .option('--legacy', `read the schema in ${describeRelease(LEGACY_RELEASE)}`);
}

/** Adds diff's flag for one side's language, `--SIDE-qemu-version`. */
export function addSideLanguageOption(command: Command, side: 'old' | 'new'): Command {
  return command.option(
    `--${side}-qemu-version <X.Y>`,
    `the ${side} schema's language, as of this QEMU release (${RELEASES}, or ${LEGACY_RELEASE} for ${describeRelease(LEGACY_RELEASE)}; default ${DEFAULT_QEMU_RELEASE})`,
  );
}

/** The language one side of a diff names: its release, or the 2012 dialect's. */
export function sideLanguage(version: string | undefined): LanguageFlags {
  if (version === undefined) return {};
  return version === LEGACY_RELEASE ? { legacy: true } : { qemuVersion: version };
}

/** How a verb spells the flags that select a release's language, for hints. */
export type FlagSpelling = (release: QemuRelease) => string;

/** The spelling of every verb but diff: `--qemu-version X.Y`, `--legacy`. */
export const standardSpelling: FlagSpelling = (release) => releaseFlags(release).join(' ');

/** diff's spelling for one side (the 2012 dialect is its release there). */
export function sideSpelling(side: 'old' | 'new'): FlagSpelling {
  return (release) => `--${side}-qemu-version ${release}`;
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
